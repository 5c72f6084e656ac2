package dev.vigil.state.net;

import dev.vigil.event.SockAddr;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/** Fuzzes {@link SockAddrDecoder} and checks its IPv6 text against a brute-force RFC 5952 oracle. */
class SockAddrDecoderProperties {

    @Property(tries = 2000)
    void arbitrary_bytes_and_lengths_never_throw(@ForAll @Size(max = 600) byte[] bytes,
                                                 @ForAll @IntRange(min = -3, max = 610) int off,
                                                 @ForAll @IntRange(min = -3, max = 700) int len) {
        SockAddr a = SockAddrDecoder.decode(bytes, off, len);
        boolean readable = off >= 0 && off <= bytes.length && Math.min(len, bytes.length - off) >= 2;
        assertThat(a != null).isEqualTo(readable);
        if (a != null) check(a);
    }

    @Property(tries = 2000)
    void every_known_family_decodes_any_body(@ForAll("families") int af, @ForAll @Size(max = 130) byte[] body,
                                             @ForAll @IntRange(min = 2, max = 140) int len) {
        var b = new byte[2 + body.length];
        b[0] = (byte) af;
        b[1] = (byte) (af >>> 8);
        System.arraycopy(body, 0, b, 2, body.length);
        var a = SockAddrDecoder.decode(b, 0, len);
        assertThat(a).isNotNull();
        check(a);
        assertThat(a.family()).isEqualTo(SockAddrDecoder.family(af));
        if (af == 2 && Math.min(len, b.length) >= 16) assertThat(a.address()).matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (af == 1 && a.address().startsWith("@")) assertThat(a.address()).doesNotContain("\0");
    }

    @Provide
    Arbitrary<Integer> families() {
        return Arbitraries.of(1, 2, 10, 16, 0, 17, 65535);
    }

    @Property(tries = 1500)
    void ipv6_text_is_rfc5952_canonical_and_round_trips(@ForAll("groups") int[] g, @ForAll boolean mapped) throws Exception {
        if (mapped) { Arrays.fill(g, 0, 5, 0); g[5] = 0xffff; }
        var raw = ByteBuffer.allocate(16);
        for (int v : g) raw.putShort((short) v);
        var sa = ByteBuffer.allocate(28).put((byte) 10).put((byte) 0).putShort((short) 443).putInt(0).put(raw.array()).array();
        var a = SockAddrDecoder.decode(sa, 0, sa.length);
        assertThat(a.address()).isEqualTo(oracle(g));
        var back = InetAddress.getByName(a.address()).getAddress();   // a literal: no lookup
        var want = raw.array();
        assertThat(back).isEqualTo(back.length == 4 ? Arrays.copyOfRange(want, 12, 16) : want);
    }

    /** Eight 16-bit groups, half of them zero so that runs of zeros of every length occur. */
    @Provide
    Arbitrary<int[]> groups() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0xffff)))
                .array(int[].class).ofSize(8);
    }

    /** Brute force: the first of the longest runs (length >= 2) of zero groups becomes "::". */
    static String oracle(int[] g) {
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return "::ffff:" + (g[6] >>> 8) + "." + (g[6] & 0xff) + "." + (g[7] >>> 8) + "." + (g[7] & 0xff);
        }
        for (int k = 8; k >= 2; k--) {
            for (int s = 0; s + k <= 8; s++) {
                boolean zeros = true;
                for (int i = s; i < s + k; i++) zeros &= g[i] == 0;
                if (zeros) return hex(g, 0, s) + "::" + hex(g, s + k, 8);
            }
        }
        return hex(g, 0, 8);
    }

    private static String hex(int[] g, int from, int to) {
        var j = new StringJoiner(":");
        for (int i = from; i < to; i++) j.add(Integer.toHexString(g[i]));
        return j.toString();
    }

    static void check(SockAddr a) {
        assertThat(a.family()).matches("inet|inet6|unix|netlink|packet|unknown\\(\\d+\\)");
        assertThat(a.address()).isNotNull();
        assertThat(a.port()).isBetween(0, 0xffff);
        if (!a.family().startsWith("inet")) assertThat(a.port()).isZero();
        if (a.family().startsWith("unknown")) assertThat(a.address()).isEmpty();
        if (a.family().equals("inet6") && !a.address().endsWith("<truncated>")) {
            assertThat(a.address()).matches("[0-9a-f:.%]+");
        }
    }
}
