package dev.vigil.rules.lang;

/** Field transformers: functions applied to a field's value before the comparison. */
public enum Transformer {
    TOLOWER("tolower"), TOUPPER("toupper"), B64("b64"), BASENAME("basename"), LEN("len");

    private final String token;

    Transformer(String token) { this.token = token; }

    /** The name written before '('. */
    public String token() { return token; }

    /** The transformer named {@code name}, or null. */
    public static Transformer ofToken(String name) {
        for (Transformer t : values()) if (t.token.equals(name)) return t;
        return null;
    }
}
