package dev.vigil.rules.load;

/** Where a problem or an item is: file, 1-based line and column, the kind and name of the item. */
public record SourceRef(String file, int line, int col, ItemKind kind, String item) {
    /** {@code file:line:col}. */
    public String position() { return file + ":" + line + ":" + col; }

    /** The same place attributed to another item. */
    public SourceRef withItem(ItemKind k, String name) { return new SourceRef(file, line, col, k, name); }

    /** Another position in the same item. */
    public SourceRef at(int newLine, int newCol) { return new SourceRef(file, newLine, newCol, kind, item); }
}
