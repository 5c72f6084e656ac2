package dev.vigil.rules.fields;

/** Helpers for field arguments. */
final class Args {
    private Args() {}

    static int index(FieldDef f, String arg) {
        try {
            int n = Integer.parseInt(arg.trim());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new FieldBindException("field '" + f.name() + "' takes a non-negative index, not '" + arg + "'");
        }
    }

    static IllegalStateException unbound(FieldDef f) {
        return new IllegalStateException("field " + f.name() + " is in the table but has no binding");
    }
}
