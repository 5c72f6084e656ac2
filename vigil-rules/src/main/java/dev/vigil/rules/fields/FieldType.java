package dev.vigil.rules.fields;

/** Value types of fields, named as libsinsp names them, each with the kind that decides its operators. */
public enum FieldType {
    CHARBUF(Kind.STRING), INT64(Kind.NUMBER), UINT64(Kind.NUMBER), UINT32(Kind.NUMBER), PORT(Kind.NUMBER),
    FD(Kind.NUMBER), PID(Kind.NUMBER), ERRNO(Kind.NUMBER), RELTIME(Kind.NUMBER), ABSTIME(Kind.NUMBER),
    BOOL(Kind.BOOL), IPADDR(Kind.IP), IPNET(Kind.NET), BYTEBUF(Kind.BYTES), LIST(Kind.LIST);

    /** How values of a type are compared. */
    public enum Kind { STRING, NUMBER, BOOL, IP, NET, BYTES, LIST }

    private final Kind kind;

    FieldType(Kind kind) { this.kind = kind; }

    public Kind kind() { return kind; }

    /** Name as printed by {@code vigil rules fields}. */
    public String display() {
        return switch (this) {
            case CHARBUF -> "string";
            case LIST -> "list";
            default -> name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
