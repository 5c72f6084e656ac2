package dev.vigil.rules.load;

/**
 * One problem found while loading rules: what, where (file:line:col, item kind and name) and, when there is
 * one, the source line with a caret under the column.
 */
public record LoadProblem(Severity severity, ProblemCode code, String message, SourceRef where, String snippet) {

    public boolean isError() { return severity == Severity.ERROR; }

    /** {@code file:line:col: error[undefined-macro]: rule 'X': message}, then the snippet when known. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(where.position()).append(": ").append(severity == Severity.ERROR ? "error" : "warning")
          .append('[').append(code.id()).append("]: ");
        if (where.item() != null && where.kind() != ItemKind.FILE) {
            sb.append(where.kind().label()).append(" '").append(where.item()).append("': ");
        }
        sb.append(message);
        if (snippet != null && !snippet.isEmpty()) sb.append('\n').append(snippet);
        return sb.toString();
    }

    @Override public String toString() { return format(); }
}
