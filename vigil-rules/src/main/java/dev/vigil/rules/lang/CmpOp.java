package dev.vigil.rules.lang;

/** The comparison operators of the condition language, with the token that spells each. */
public enum CmpOp {
    EQ("="), EQEQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
    CONTAINS("contains"), ICONTAINS("icontains"), BCONTAINS("bcontains"),
    STARTSWITH("startswith"), BSTARTSWITH("bstartswith"), ENDSWITH("endswith"),
    GLOB("glob"), IGLOB("iglob"), REGEX("regex"),
    IN("in"), INTERSECTS("intersects"), PMATCH("pmatch"),
    EXISTS("exists");

    private final String token;

    CmpOp(String token) { this.token = token; }

    /** How the operator is written in a condition. */
    public String token() { return token; }

    /** True for the operators that take a parenthesised list (or a list name) on the right. */
    public boolean takesList() { return this == IN || this == INTERSECTS || this == PMATCH; }

    /** True for operators spelled with letters (they need a blank or '(' after them). */
    public boolean isWord() { return Character.isLetter(token.charAt(0)); }

    /** The operator spelled {@code token}, or null. */
    public static CmpOp ofToken(String token) {
        for (CmpOp op : values()) if (op.token.equals(token)) return op;
        return null;
    }
}
