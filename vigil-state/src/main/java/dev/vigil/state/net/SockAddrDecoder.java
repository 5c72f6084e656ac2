package dev.vigil.state.net;

import dev.vigil.event.InetText;
import dev.vigil.event.SockAddr;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * State layer: decodes a raw {@code struct sockaddr} copied out of the workload (connect, bind, sendto, accept
 * results) into a {@link SockAddr}, and names socket families, types and protocols.
 *
 * <p>Layouts are those of x86_64 and aarch64 Linux: a little-endian host {@code sa_family_t} (u16) first, ports
 * and IP addresses in network order. The bytes and the length come from a workload that may be hostile: every
 * read is bounded by both {@code len} and the segment, nothing is thrown for any content, and a short length
 * gives what could be read with the address suffixed {@value #TRUNCATED}. Stateless and thread-safe.
 */
public final class SockAddrDecoder {
    /** Suffix of an address that the given length cut short. */
    public static final String TRUNCATED = "<truncated>";

    public static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16, AF_PACKET = 17;

    /** sizeof(struct sockaddr_in). */
    static final int SOCKADDR_IN_LEN = 16;
    /** SIN6_LEN_RFC2133: sockaddr_in6 without sin6_scope_id, which the kernel accepts; the full struct is 28. */
    static final int SOCKADDR_IN6_MIN_LEN = 24, SOCKADDR_IN6_LEN = 28;
    /** sizeof(struct sockaddr_un): family + 108 path bytes. */
    static final int SOCKADDR_UN_LEN = 110;
    /** sizeof(struct sockaddr_nl): family, pad, pid, groups. */
    static final int SOCKADDR_NL_LEN = 12;

    private static final int SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    private static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_SEQPACKET = 5;

    private SockAddrDecoder() {}

    /**
     * Decodes {@code len} bytes at {@code offset} of {@code seg}. Returns null when the segment is null or fewer
     * than two bytes (the family) are readable; otherwise never null and never throws.
     */
    public static SockAddr decode(MemorySegment seg, long offset, int len) {
        if (seg == null || offset < 0 || len < 2 || offset > seg.byteSize()) return null;
        int avail = (int) Math.min(len, seg.byteSize() - offset);   // what the copy really holds
        if (avail < 2) return null;
        int af = u8(seg, offset) | u8(seg, offset + 1) << 8;
        return switch (af) {
            case AF_INET -> inet(seg, offset, avail);
            case AF_INET6 -> inet6(seg, offset, avail);
            case AF_UNIX -> unix(seg, offset, len, avail);
            case AF_NETLINK -> netlink(seg, offset, avail);
            default -> new SockAddr(family(af), "", 0);
        };
    }

    /** {@link #decode(MemorySegment, long, int)} over a byte array; null when {@code buf} is null. */
    public static SockAddr decode(byte[] buf, int off, int len) {
        return buf == null ? null : decode(MemorySegment.ofArray(buf), off, len);
    }

    /** Name of an address family: "unix", "inet", "inet6", "netlink", "packet", else "unknown(N)". */
    public static String family(int af) {
        return switch (af) {
            case AF_UNIX -> "unix";
            case AF_INET -> "inet";
            case AF_INET6 -> "inet6";
            case AF_NETLINK -> "netlink";
            case AF_PACKET -> "packet";
            default -> "unknown(" + af + ")";
        };
    }

    /** The AF_* number of a family name that {@link #family} gives for unix, inet and inet6; -1 for others. */
    public static int domainOf(String family) {
        return switch (family) {
            case "unix" -> AF_UNIX;
            case "inet" -> AF_INET;
            case "inet6" -> AF_INET6;
            default -> -1;
        };
    }

    /** Name of a socket type with SOCK_NONBLOCK and SOCK_CLOEXEC masked off: "stream", "dgram", ... */
    public static String sockType(int type) {
        int t = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
        return switch (t) {
            case SOCK_STREAM -> "stream";
            case SOCK_DGRAM -> "dgram";
            case SOCK_RAW -> "raw";
            case SOCK_SEQPACKET -> "seqpacket";
            default -> "unknown(" + t + ")";
        };
    }

    /**
     * Transport protocol of a socket(2) call: "tcp", "udp", "icmp", "icmpv6" or "raw" for inet and inet6
     * sockets, "" for anything else (other families, SCTP, unknown combinations).
     */
    public static String protocol(int family, int type, int proto) {
        if (family != AF_INET && family != AF_INET6) return "";
        int t = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (proto == 1) return t == SOCK_DGRAM || t == SOCK_RAW ? "icmp" : "";   // ping sockets are dgram
        if (proto == 58) return t == SOCK_DGRAM || t == SOCK_RAW ? "icmpv6" : "";
        return switch (t) {
            case SOCK_STREAM -> proto == 0 || proto == 6 ? "tcp" : "";
            case SOCK_DGRAM -> proto == 0 || proto == 17 ? "udp" : "";
            case SOCK_RAW -> "raw";
            default -> "";
        };
    }

    /** True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104; false for null, truncated and non-IP addresses. */
    public static boolean isLoopback(SockAddr a) {
        if (a == null || a.address() == null || a.address().endsWith(TRUNCATED)) return false;
        return switch (a.family()) {
            case "inet" -> a.address().startsWith("127.");
            case "inet6" -> a.address().equals("::1") || a.address().startsWith("::ffff:127.");
            default -> false;
        };
    }

    // struct sockaddr_in { u16 family; be16 port; be32 addr; u8 zero[8]; }
    private static SockAddr inet(MemorySegment seg, long off, int n) {
        int port = n >= 4 ? be16(seg, off + 2) : 0;
        if (n >= SOCKADDR_IN_LEN) return new SockAddr("inet", InetText.ipv4(be32(seg, off + 4)), port);
        var sb = new StringBuilder(15 + TRUNCATED.length());
        for (int i = 4; i < Math.min(n, 8); i++) {
            if (i > 4) sb.append('.');
            sb.append(u8(seg, off + i));
        }
        return new SockAddr("inet", sb.append(TRUNCATED).toString(), port);
    }

    // struct sockaddr_in6 { u16 family; be16 port; be32 flowinfo; u8 addr[16]; u32 scope_id; }
    private static SockAddr inet6(MemorySegment seg, long off, int n) {
        int port = n >= 4 ? be16(seg, off + 2) : 0;
        var sb = new StringBuilder(56);
        if (n >= SOCKADDR_IN6_MIN_LEN) {
            InetText.appendIpv6(sb, be64(seg, off + 8), be64(seg, off + 16));
            if (n >= SOCKADDR_IN6_LEN) {
                int scope = le32(seg, off + 24);   // host order
                if (scope != 0) sb.append('%').append(Integer.toUnsignedString(scope));
            }
            return new SockAddr("inet6", sb.toString(), port);
        }
        // Whole groups that are present, uncompressed, then the marker.
        for (int i = 8; i + 1 < n; i += 2) {
            if (i > 8) sb.append(':');
            sb.append(Integer.toHexString(be16(seg, off + i)));
        }
        return new SockAddr("inet6", sb.append(TRUNCATED).toString(), port);
    }

    // struct sockaddr_un { u16 family; char path[108]; }: len decides; a NUL ends a pathname, not an abstract name.
    private static SockAddr unix(MemorySegment seg, long off, int len, int avail) {
        int want = Math.min(len, SOCKADDR_UN_LEN);
        int n = Math.min(avail, SOCKADDR_UN_LEN);
        boolean cut = n < want;
        if (n == 2) return new SockAddr("unix", cut ? TRUNCATED : "", 0);   // unnamed
        var bytes = new byte[n - 2];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off + 2, bytes, 0, bytes.length);
        String address;
        if (bytes[0] == 0) {
            for (int i = 0; i < bytes.length; i++) if (bytes[i] == 0) bytes[i] = '@';
            address = new String(bytes, StandardCharsets.UTF_8);
        } else {
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) end++;
            address = new String(bytes, 0, end, StandardCharsets.UTF_8);
            cut &= end == bytes.length;   // a NUL inside what was read means the path is whole
        }
        return new SockAddr("unix", cut ? address + TRUNCATED : address, 0);
    }

    // struct sockaddr_nl { u16 family; u16 pad; u32 pid; u32 groups; }, host order.
    private static SockAddr netlink(MemorySegment seg, long off, int n) {
        if (n >= SOCKADDR_NL_LEN) {
            return new SockAddr("netlink", Integer.toUnsignedString(le32(seg, off + 4)) + ":"
                    + Integer.toUnsignedString(le32(seg, off + 8)), 0);
        }
        String pid = n >= 8 ? Integer.toUnsignedString(le32(seg, off + 4)) + ":" : "";
        return new SockAddr("netlink", pid + TRUNCATED, 0);
    }

    private static int u8(MemorySegment seg, long at) {
        return seg.get(ValueLayout.JAVA_BYTE, at) & 0xff;
    }

    private static int be16(MemorySegment seg, long at) {
        return u8(seg, at) << 8 | u8(seg, at + 1);
    }

    private static int be32(MemorySegment seg, long at) {
        return be16(seg, at) << 16 | be16(seg, at + 2);
    }

    private static int le32(MemorySegment seg, long at) {
        return u8(seg, at) | u8(seg, at + 1) << 8 | u8(seg, at + 2) << 16 | u8(seg, at + 3) << 24;
    }

    private static long be64(MemorySegment seg, long at) {
        return (be32(seg, at) & 0xffffffffL) << 32 | (be32(seg, at + 4) & 0xffffffffL);
    }
}
