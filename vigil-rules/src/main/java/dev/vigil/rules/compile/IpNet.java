package dev.vigil.rules.compile;

/**
 * An IPv4 or IPv6 network (an address is a network with a full prefix), and an allocation-free parser for
 * textual addresses into a caller's 16-byte scratch buffer.
 */
public record IpNet(byte[] addr, int prefix) {

    /** Parses {@code a.b.c.d}, {@code a.b.c.d/n}, IPv6 and IPv6/n; null when malformed. */
    public static IpNet parse(String s) {
        String a = s;
        int prefix = -1;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            a = s.substring(0, slash);
            try { prefix = Integer.parseInt(s.substring(slash + 1)); } catch (NumberFormatException e) { return null; }
        }
        byte[] buf = new byte[16];
        int len = parseAddr(a, buf);
        if (len < 0) return null;
        if (prefix < 0) prefix = len * 8;
        if (prefix > len * 8) return null;
        byte[] out = new byte[len];
        System.arraycopy(buf, 0, out, 0, len);
        return new IpNet(out, prefix);
    }

    /** Whether the address in {@code buf[0..len)} is in this network. */
    public boolean contains(byte[] buf, int len) {
        if (len != addr.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (buf[i] != addr[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (buf[full] & mask) == (addr[full] & mask);
    }

    /** Parses an address into {@code out}; returns 4 or 16, or -1 when malformed. Allocates nothing. */
    public static int parseAddr(String s, byte[] out) {
        if (s == null || s.isEmpty()) return -1;
        if (s.indexOf(':') < 0) return parse4(s, 0, s.length(), out, 0) ? 4 : -1;
        int start = 0, end = s.length();
        if (s.charAt(0) == '[' && s.charAt(end - 1) == ']') { start++; end--; }
        return parse6(s, start, end, out) ? 16 : -1;
    }

    private static boolean parse4(String s, int from, int to, byte[] out, int at) {
        int part = 0, val = -1;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (val < 0 || part == 3) return false;
                out[at + part++] = (byte) val;
                val = -1;
            } else if (c >= '0' && c <= '9') {
                val = (val < 0 ? 0 : val * 10) + (c - '0');
                if (val > 255) return false;
            } else {
                return false;
            }
        }
        if (val < 0 || part != 3) return false;
        out[at + 3] = (byte) val;
        return true;
    }

    private static boolean parse6(String s, int from, int to, byte[] out) {
        int w = 0;
        int gap = -1;
        int i = from;
        if (to - from >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') { gap = 0; i += 2; }
        else if (i < to && s.charAt(i) == ':') return false;
        while (i < to) {
            int segStart = i;
            int val = 0, digits = 0;
            while (i < to && Character.digit(s.charAt(i), 16) >= 0) {
                val = (val << 4) | Character.digit(s.charAt(i), 16);
                if (++digits > 4) return false;
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                if (w > 12) return false;
                int dotEnd = segStart;
                while (dotEnd < to && s.charAt(dotEnd) != ':') dotEnd++;
                if (!parse4(s, segStart, dotEnd, out, w)) return false;
                w += 4;
                i = dotEnd;
                break;
            }
            if (digits == 0) return false;
            if (w > 14) return false;
            out[w++] = (byte) (val >> 8);
            out[w++] = (byte) val;
            if (i < to) {
                if (s.charAt(i) != ':') return false;
                i++;
                if (i < to && s.charAt(i) == ':') {
                    if (gap >= 0) return false;
                    gap = w;
                    i++;
                } else if (i == to) {
                    return false;
                }
            }
        }
        if (gap < 0) return w == 16;
        int tail = w - gap;
        for (int k = 0; k < tail; k++) out[15 - k] = out[w - 1 - k];
        for (int k = gap; k < 16 - tail; k++) out[k] = 0;
        return true;
    }
}
