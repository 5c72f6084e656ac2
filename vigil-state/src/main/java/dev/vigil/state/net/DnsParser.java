package dev.vigil.state.net;

import dev.vigil.event.InetText;
import dev.vigil.event.DnsMessage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * State layer: parses a DNS message (RFC 1035) that the workload sent or received into the header fields, the
 * question section and the A, AAAA and CNAME answers that {@link DnsMessage} carries.
 *
 * <p>The payload comes from a workload that may be hostile. Every read is bounded by the byte range, compression
 * pointers must point strictly backwards (before the start of the label run that holds them, so a chain of
 * jumps always ends) and at most {@value #MAX_JUMPS} are followed per name, names are at most 255 wire bytes,
 * labels at most 63, and at most {@value #MAX_QUESTIONS} questions and {@value #MAX_RECORDS} records per section
 * are read. Nothing is thrown for any input: what could be read is returned with {@link Parsed#problem()} set.
 * Authority and additional records are walked (not kept) so that a cut anywhere in the message is reported.
 * Stateless and thread-safe; {@link #looksLikeDns} allocates nothing.
 */
public final class DnsParser {
    static final int HEADER_LEN = 12, MAX_QUESTIONS = 64, MAX_RECORDS = 256, MAX_JUMPS = 128;
    static final int MAX_NAME_WIRE = 255, MAX_LABEL = 63;

    public static final String TRUNCATED_HEADER = "truncated header", TRUNCATED_QUESTION = "truncated question",
            TRUNCATED_ANSWER = "truncated answer", TRUNCATED_MESSAGE = "truncated message",
            COMPRESSION_LOOP = "compression loop", LABEL_TOO_LONG = "label too long", NAME_TOO_LONG = "name too long",
            BAD_POINTER = "bad pointer", TOO_MANY_RECORDS = "too many records", NOT_DNS = "not dns";

    // Results of walkName below zero; at or above zero it is the offset just past the name.
    private static final int ERR_TRUNC = -1, ERR_LOOP = -2, ERR_LABEL = -3, ERR_NAME = -4, ERR_POINTER = -5;

    private static final int TYPE_A = 1, TYPE_CNAME = 5, TYPE_AAAA = 28, CLASS_IN = 1;

    /**
     * A parsed message. Lists are never null and unmodifiable; {@code problem} is null when the whole message
     * parsed, else one of the reason constants of {@link DnsParser}.
     *
     * @param id        message id (0 when the header is cut before it)
     * @param response  the QR bit
     * @param opcode    0 = QUERY
     * @param rcode     0 = NOERROR, 3 = NXDOMAIN
     * @param truncated the TC bit: the server cut the answer, the client should retry over TCP
     * @param questions the question section (at most {@value #MAX_QUESTIONS})
     * @param answers   the A, AAAA and CNAME records of class IN of the answer section (at most
     *                  {@value #MAX_RECORDS} records are read); an A or AAAA whose rdata has the wrong size is skipped
     * @param problem   null, or why parsing stopped early
     */
    public record Parsed(int id, boolean response, int opcode, int rcode, boolean truncated,
                         List<DnsMessage.Question> questions, List<DnsMessage.Answer> answers, String problem) {}

    private DnsParser() {}

    /**
     * Parses {@code len} bytes at {@code off} of {@code buf}; with {@code tcpLengthPrefixed} the range starts
     * with the two-byte big-endian length of RFC 1035 4.2.2, and only that many bytes are read. A range beyond
     * the array is clamped to it. Never null, never throws.
     */
    public static Parsed parse(byte[] buf, int off, int len, boolean tcpLengthPrefixed) {
        if (buf == null || off < 0 || off > buf.length || len < 0) return empty(TRUNCATED_HEADER);
        int end = off + Math.min(len, buf.length - off);
        int base = off;
        boolean declaredBeyond = false;
        if (tcpLengthPrefixed) {
            if (end - off < 2) return empty(TRUNCATED_HEADER);
            int declared = u16(buf, off);
            base = off + 2;
            if (declared < HEADER_LEN) return empty(NOT_DNS);
            if (declared > end - base) declaredBeyond = true;
            else end = base + declared;
        }
        int n = end - base;
        if (n < HEADER_LEN) {
            int id = n >= 2 ? u16(buf, base) : 0, flags = n >= 4 ? u16(buf, base + 2) : 0;
            return new Parsed(id, (flags & 0x8000) != 0, flags >>> 11 & 0xf, flags & 0xf, (flags & 0x200) != 0,
                    List.of(), List.of(), TRUNCATED_HEADER);
        }
        int id = u16(buf, base), flags = u16(buf, base + 2);
        int opcode = flags >>> 11 & 0xf;
        var p = new Builder(id, (flags & 0x8000) != 0, opcode, flags & 0xf, (flags & 0x200) != 0);
        if (opcode == 3 || opcode > 6) return p.done(NOT_DNS);   // unassigned opcodes: not a DNS header

        int qd = u16(buf, base + 4), an = u16(buf, base + 6), ns = u16(buf, base + 8), ar = u16(buf, base + 10);
        var sb = new StringBuilder(64);
        int pos = base + HEADER_LEN;
        for (int i = 0; i < qd; i++) {
            if (i == MAX_QUESTIONS) return p.done(TOO_MANY_RECORDS);
            sb.setLength(0);
            int next = walkName(buf, base, end, pos, sb);
            if (next < 0) return p.done(nameProblem(next, TRUNCATED_QUESTION));
            if (next + 4 > end) return p.done(TRUNCATED_QUESTION);
            p.question(new DnsMessage.Question(sb.toString(), typeName(u16(buf, next))));
            pos = next + 4;
        }
        for (int section = 0; section < 3; section++) {
            int count = section == 0 ? an : section == 1 ? ns : ar;
            for (int i = 0; i < count; i++) {
                if (i == MAX_RECORDS) return p.done(TOO_MANY_RECORDS);
                sb.setLength(0);
                int next = walkName(buf, base, end, pos, section == 0 ? sb : null);
                if (next < 0) return p.done(nameProblem(next, TRUNCATED_ANSWER));
                if (next + 10 > end) return p.done(TRUNCATED_ANSWER);
                int type = u16(buf, next), cls = u16(buf, next + 2);
                long ttl = u32(buf, next + 4);
                int rdLen = u16(buf, next + 8), rd = next + 10;
                if (rd + rdLen > end) return p.done(TRUNCATED_ANSWER);
                if (section == 0 && cls == CLASS_IN) {
                    String problem = answer(p, buf, base, end, sb, type, ttl, rd, rdLen);
                    if (problem != null) return p.done(problem);
                }
                pos = rd + rdLen;
            }
        }
        return p.done(declaredBeyond ? TRUNCATED_MESSAGE : null);
    }

    /**
     * Cheap plausibility test for a payload on a port other than 53: a full header, opcode QUERY, 1 to 16
     * questions, and a first question (name, type, class) that lies wholly inside the range. Allocates nothing.
     */
    public static boolean looksLikeDns(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < HEADER_LEN || off > buf.length - HEADER_LEN) return false;
        int end = off + Math.min(len, buf.length - off);
        int opcode = buf[off + 2] >>> 3 & 0xf;
        int qd = u16(buf, off + 4);
        if (opcode != 0 || qd < 1 || qd > 16) return false;
        int next = walkName(buf, off, end, off + HEADER_LEN, null);
        return next >= 0 && next + 4 <= end;
    }

    /** Question and answer type mnemonic: A, NS, CNAME, ..., else TYPE&lt;n&gt; (RFC 3597). */
    public static String typeName(int type) {
        return switch (type) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 12 -> "PTR";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 28 -> "AAAA";
            case 33 -> "SRV";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 255 -> "ANY";
            default -> "TYPE" + type;
        };
    }

    /** Keeps an A, AAAA or CNAME answer whose owner name is in {@code owner}; returns a problem or null. */
    private static String answer(Builder p, byte[] buf, int base, int end, StringBuilder owner, int type,
                                 long ttl, int rd, int rdLen) {
        switch (type) {
            case TYPE_A -> {
                if (rdLen == 4) p.answer(new DnsMessage.Answer(owner.toString(), "A", InetText.ipv4(s32(buf, rd)), ttl));
            }
            case TYPE_AAAA -> {
                if (rdLen == 16) {
                    p.answer(new DnsMessage.Answer(owner.toString(), "AAAA",
                            InetText.ipv6(s64(buf, rd), s64(buf, rd + 8)), ttl));
                }
            }
            case TYPE_CNAME -> {
                String name = owner.toString();
                owner.setLength(0);
                int next = walkName(buf, base, end, rd, owner);
                if (next < 0) return nameProblem(next, TRUNCATED_ANSWER);
                if (next > rd + rdLen) return TRUNCATED_ANSWER;   // the name runs past its rdata
                p.answer(new DnsMessage.Answer(name, "CNAME", owner.toString(), ttl));
            }
            default -> { }
        }
        return null;
    }

    /**
     * Walks the (possibly compressed) name at {@code pos}, appending its lower-cased presentation text without
     * the trailing dot to {@code out} when that is not null. Returns the offset just past the name where it
     * started (past the first pointer, if any), or an ERR_ code.
     */
    static int walkName(byte[] buf, int base, int end, int pos, StringBuilder out) {
        int p = pos, runStart = pos, resume = -1, wire = 1, jumps = 0;
        boolean first = true;
        while (true) {
            if (p >= end) return ERR_TRUNC;
            int b = buf[p] & 0xff;
            if (b == 0) return resume >= 0 ? resume : p + 1;
            if ((b & 0xc0) == 0xc0) {
                if (p + 1 >= end) return ERR_TRUNC;
                int target = base + ((b & 0x3f) << 8 | buf[p + 1] & 0xff);
                if (target > p || target < base + HEADER_LEN) return ERR_POINTER;   // forward, or into the header
                if (target >= runStart) return ERR_LOOP;                             // into its own labels, or itself
                if (++jumps > MAX_JUMPS) return ERR_LOOP;
                if (resume < 0) resume = p + 2;
                p = runStart = target;
                continue;
            }
            if (b > MAX_LABEL) return ERR_LABEL;   // 0x40 and 0x80 label types are obsolete: treat as a length
            wire += 1 + b;
            if (wire > MAX_NAME_WIRE) return ERR_NAME;
            if (p + 1 + b > end) return ERR_TRUNC;
            if (out != null) {
                if (!first) out.append('.');
                appendLabel(out, buf, p + 1, b);
            }
            first = false;
            p += 1 + b;
        }
    }

    /** Label text: ASCII letters lower-cased, '.' and '\' escaped, other bytes outside '!'..'~' as \DDD. */
    private static void appendLabel(StringBuilder out, byte[] buf, int from, int n) {
        for (int i = from; i < from + n; i++) {
            int c = buf[i] & 0xff;
            if (c >= 'A' && c <= 'Z') out.append((char) (c + ('a' - 'A')));
            else if (c == '.' || c == '\\') out.append('\\').append((char) c);
            else if (c > ' ' && c < 0x7f) out.append((char) c);
            else out.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10))
                        .append((char) ('0' + c % 10));
        }
    }

    private static String nameProblem(int err, String truncated) {
        return switch (err) {
            case ERR_LOOP -> COMPRESSION_LOOP;
            case ERR_LABEL -> LABEL_TOO_LONG;
            case ERR_NAME -> NAME_TOO_LONG;
            case ERR_POINTER -> BAD_POINTER;
            default -> truncated;
        };
    }

    private static Parsed empty(String problem) {
        return new Parsed(0, false, 0, 0, false, List.of(), List.of(), problem);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    private static int s32(byte[] b, int at) {
        return u16(b, at) << 16 | u16(b, at + 2);
    }

    private static long u32(byte[] b, int at) {
        return s32(b, at) & 0xffffffffL;
    }

    private static long s64(byte[] b, int at) {
        return u32(b, at) << 32 | u32(b, at + 4);
    }

    /** Collects sections lazily: a message without questions or answers allocates no list. */
    private static final class Builder {
        private final int id, opcode, rcode;
        private final boolean response, truncated;
        private List<DnsMessage.Question> questions;
        private List<DnsMessage.Answer> answers;

        Builder(int id, boolean response, int opcode, int rcode, boolean truncated) {
            this.id = id; this.response = response; this.opcode = opcode; this.rcode = rcode; this.truncated = truncated;
        }

        void question(DnsMessage.Question q) {
            if (questions == null) questions = new ArrayList<>(2);
            questions.add(q);
        }

        void answer(DnsMessage.Answer a) {
            if (answers == null) answers = new ArrayList<>(4);
            answers.add(a);
        }

        Parsed done(String problem) {
            return new Parsed(id, response, opcode, rcode, truncated,
                    questions == null ? List.of() : Collections.unmodifiableList(questions),
                    answers == null ? List.of() : Collections.unmodifiableList(answers), problem);
        }
    }
}
