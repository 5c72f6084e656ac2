package dev.vigil.event;

/**
 * The text form of IP addresses in events ({@link SockAddr}, DNS answers): dotted quad for IPv4, RFC 5952
 * canonical text for IPv6. One implementation for the sensor, which writes it, and the hunt server, which must
 * turn indicators into exactly the same text to find them. Pure functions; the only allocation is the result.
 */
public final class InetText {
    private InetText() {}

    /** Dotted quad of an IPv4 address given in network order as the bits of an int (first octet highest). */
    public static String ipv4(int addr) {
        var sb = new StringBuilder(15);
        appendIpv4(sb, addr);
        return sb.toString();
    }

    /**
     * RFC 5952 text of an IPv6 address given as its two network-order halves: lower-case hex, no leading zeros,
     * the longest run (first on a tie) of two or more zero groups compressed to "::", IPv4-mapped addresses
     * (::ffff:0:0/96) in mixed notation.
     */
    public static String ipv6(long hi, long lo) {
        var sb = new StringBuilder(45);
        appendIpv6(sb, hi, lo);
        return sb.toString();
    }

    public static void appendIpv4(StringBuilder sb, int addr) {
        sb.append((addr >>> 24) & 0xff).append('.').append((addr >>> 16) & 0xff).append('.')
          .append((addr >>> 8) & 0xff).append('.').append(addr & 0xff);
    }

    public static void appendIpv6(StringBuilder sb, long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            sb.append("::ffff:");
            appendIpv4(sb, (int) lo);
            return;
        }
        // Longest run of zero groups; a single zero group is not compressed (RFC 5952 4.2.2).
        int bestStart = -1, bestLen = 1, runStart = -1;
        for (int i = 0; i <= 8; i++) {
            boolean zero = i < 8 && group(hi, lo, i) == 0;
            if (zero) {
                if (runStart < 0) runStart = i;
            } else if (runStart >= 0) {
                int runLen = i - runStart;
                if (runLen > bestLen) { bestStart = runStart; bestLen = runLen; }
                runStart = -1;
            }
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) sb.append(':');
            appendHex(sb, group(hi, lo, i));
        }
    }

    /** The text of a 4-byte (IPv4) or 16-byte (IPv6) address in network order, as {@code InetAddress.getAddress()} gives. */
    public static String of(byte[] addr) {
        if (addr.length == 4) return ipv4((int) be(addr, 0, 4));
        if (addr.length == 16) return ipv6(be(addr, 0, 8), be(addr, 8, 8));
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + addr.length);
    }

    private static long be(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    /** Lower-case hex of a 16-bit value without leading zeros, without an intermediate string. */
    private static void appendHex(StringBuilder sb, int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (v >>> shift) & 0xf;
            if (d != 0 || started || shift == 0) {
                sb.append(HEX.charAt(d));
                started = true;
            }
        }
    }

    private static final String HEX = "0123456789abcdef";

    /** The i-th 16-bit group, 0 = most significant. */
    private static int group(long hi, long lo, int i) {
        long half = i < 4 ? hi : lo;
        return (int) (half >>> (48 - 16 * (i & 3))) & 0xffff;
    }
}
