package dev.vigil.state.net;

import dev.vigil.event.SockAddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class SockAddrDecoderTest {

    /** struct sockaddr_in: host-order family, network-order port and address, 8 zero bytes. */
    static byte[] in4(int port, int a, int b, int c, int d) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 2)
                .order(ByteOrder.BIG_ENDIAN).putShort((short) port)
                .put((byte) a).put((byte) b).put((byte) c).put((byte) d).array();
    }

    /** struct sockaddr_in6 with the address given as 32 hex digits. */
    static byte[] in6(int port, String hex, int scope) {
        return ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 10)
                .order(ByteOrder.BIG_ENDIAN).putShort((short) port).putInt(0x12345)   // flowinfo: ignored
                .put(HexFormat.of().parseHex(hex)).order(ByteOrder.LITTLE_ENDIAN).putInt(scope).array();
    }

    static byte[] un(byte[] path) {
        var b = new byte[2 + path.length];
        b[0] = 1;
        System.arraycopy(path, 0, b, 2, path.length);
        return b;
    }

    static SockAddr decode(byte[] b) {
        return SockAddrDecoder.decode(MemorySegment.ofArray(b), 0, b.length);
    }

    @Test
    void inet_gives_dotted_quad_and_network_order_port() {
        assertThat(decode(in4(443, 93, 184, 216, 34))).isEqualTo(new SockAddr("inet", "93.184.216.34", 443));
        assertThat(decode(in4(65535, 255, 255, 255, 255))).isEqualTo(new SockAddr("inet", "255.255.255.255", 65535));
    }

    @ParameterizedTest
    @CsvSource({
            "00000000000000000000000000000001, ::1",
            "00000000000000000000000000000000, ::",
            "20010db8000000000000000000000001, 2001:db8::1",
            "20010db8000000000001000000000001, 2001:db8::1:0:0:1",
            "20010db8000000010000000000000001, 2001:db8:0:1::1",
            "20010db8000000000001000100010001, 2001:db8::1:1:1:1",
            "20010db8000000010001000100010001, 2001:db8:0:1:1:1:1:1",
            "20010db800000000000100000000ffff, 2001:db8::1:0:0:ffff",
            "00000000000000000000ffff0a010203, ::ffff:10.1.2.3",
            "000000000000000000000000c0a80001, ::c0a8:1",
            "ABCD00000000ABCD0000000000000000, abcd:0:0:abcd::",
            "fe800000000000000000000000000001, fe80::1",
            "00010000000000000000000000000000, 1::",
            "00010002000300040005000600070008, 1:2:3:4:5:6:7:8",
    })
    void inet6_is_rfc5952_canonical(String hex, String text) {
        assertThat(decode(in6(53, hex, 0))).isEqualTo(new SockAddr("inet6", text, 53));
    }

    @Test
    void inet6_scope_id_is_appended_only_when_non_zero() {
        assertThat(decode(in6(22, "fe800000000000000000000000000001", 2)).address()).isEqualTo("fe80::1%2");
        assertThat(decode(in6(22, "fe800000000000000000000000000001", -1)).address()).isEqualTo("fe80::1%4294967295");
        assertThat(decode(in6(22, "fe800000000000000000000000000001", 0)).address()).isEqualTo("fe80::1");
    }

    @Test
    void inet6_of_rfc2133_length_is_whole_without_scope() {
        var b = in6(80, "20010db8000000000000000000000001", 7);
        assertThat(SockAddrDecoder.decode(MemorySegment.ofArray(b), 0, 24)).isEqualTo(new SockAddr("inet6", "2001:db8::1", 80));
    }

    @Test
    void unix_pathname_ends_at_first_nul() {
        var path = "/run/docker.sock\0garbage".getBytes(StandardCharsets.UTF_8);
        assertThat(decode(un(path))).isEqualTo(new SockAddr("unix", "/run/docker.sock", 0));
        assertThat(decode(un("/tmp/x".getBytes(StandardCharsets.UTF_8)))).isEqualTo(new SockAddr("unix", "/tmp/x", 0));
    }

    @Test
    void unix_abstract_name_gets_at_prefix_and_nuls_shown_as_at() {
        var path = "\0my\0name".getBytes(StandardCharsets.UTF_8);
        assertThat(decode(un(path))).isEqualTo(new SockAddr("unix", "@my@name", 0));
    }

    @Test
    void unix_unnamed_has_empty_address() {
        assertThat(decode(new byte[] {1, 0})).isEqualTo(new SockAddr("unix", "", 0));
    }

    @Test
    void unix_length_beyond_struct_reads_108_path_bytes_at_most() {
        var path = new byte[200];
        java.util.Arrays.fill(path, (byte) 'a');
        assertThat(decode(un(path)).address()).hasSize(108);
    }

    @Test
    void netlink_gives_pid_and_groups_in_host_order() {
        var b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 16).putShort((short) 0)
                .putInt(4711).putInt(0x80000001).array();
        assertThat(decode(b)).isEqualTo(new SockAddr("netlink", "4711:2147483649", 0));
    }

    @Test
    void unknown_family_has_empty_address() {
        assertThat(decode(new byte[] {99, 0, 1, 2, 3, 4})).isEqualTo(new SockAddr("unknown(99)", "", 0));
        assertThat(decode(new byte[] {17, 0, 1, 2, 3, 4})).isEqualTo(new SockAddr("packet", "", 0)); // sockaddr_ll: no address kept
        assertThat(decode(new byte[] {(byte) 0xff, (byte) 0xff})).isEqualTo(new SockAddr("unknown(65535)", "", 0));
    }

    @Test
    void truncated_lengths_give_what_was_read_and_a_marker() {
        var v4 = in4(8080, 10, 1, 2, 3);
        assertThat(SockAddrDecoder.decode(v4, 0, 15)).isEqualTo(new SockAddr("inet", "10.1.2.3<truncated>", 8080));
        assertThat(SockAddrDecoder.decode(v4, 0, 6)).isEqualTo(new SockAddr("inet", "10.1<truncated>", 8080));
        assertThat(SockAddrDecoder.decode(v4, 0, 3)).isEqualTo(new SockAddr("inet", "<truncated>", 0));
        var v6 = in6(443, "20010db8000000000000000000000001", 0);
        assertThat(SockAddrDecoder.decode(v6, 0, 23)).isEqualTo(new SockAddr("inet6", "2001:db8:0:0:0:0:0<truncated>", 443));
        assertThat(SockAddrDecoder.decode(v6, 0, 8)).isEqualTo(new SockAddr("inet6", "<truncated>", 443));
        var nl = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 16).putShort((short) 0)
                .putInt(9).putInt(1).array();
        assertThat(SockAddrDecoder.decode(nl, 0, 10)).isEqualTo(new SockAddr("netlink", "9:<truncated>", 0));
        assertThat(SockAddrDecoder.decode(nl, 0, 4)).isEqualTo(new SockAddr("netlink", "<truncated>", 0));
    }

    @Test
    void a_segment_shorter_than_len_is_a_truncation_not_a_crash() {
        var path = "/var/run/a-long-socket-path".getBytes(StandardCharsets.UTF_8);
        var b = un(path);
        try (var arena = Arena.ofConfined()) {
            var seg = arena.allocate(12);
            MemorySegment.copy(MemorySegment.ofArray(b), 0, seg, 0, 12);
            assertThat(SockAddrDecoder.decode(seg, 0, b.length)).isEqualTo(new SockAddr("unix", "/var/run/a<truncated>", 0));
        }
    }

    @Test
    void too_short_or_null_input_gives_null() {
        assertThat(SockAddrDecoder.decode((MemorySegment) null, 0, 16)).isNull();
        assertThat(SockAddrDecoder.decode((byte[]) null, 0, 16)).isNull();
        assertThat(SockAddrDecoder.decode(new byte[] {2}, 0, 1)).isNull();
        assertThat(SockAddrDecoder.decode(new byte[16], 0, -1)).isNull();
        assertThat(SockAddrDecoder.decode(new byte[16], 15, 16)).isNull();
        assertThat(SockAddrDecoder.decode(new byte[16], 17, 16)).isNull();
        assertThat(SockAddrDecoder.decode(new byte[16], -1, 16)).isNull();
        assertThat(SockAddrDecoder.decode(MemorySegment.NULL, 0, 16)).isNull();
    }

    @Test
    void decodes_at_an_offset_inside_a_larger_segment() {
        var b = new byte[40];
        System.arraycopy(in4(53, 8, 8, 4, 4), 0, b, 7, 16);
        assertThat(SockAddrDecoder.decode(b, 7, 16)).isEqualTo(new SockAddr("inet", "8.8.4.4", 53));
    }

    @Test
    void family_type_and_protocol_names() {
        assertThat(SockAddrDecoder.family(1)).isEqualTo("unix");
        assertThat(SockAddrDecoder.family(2)).isEqualTo("inet");
        assertThat(SockAddrDecoder.family(10)).isEqualTo("inet6");
        assertThat(SockAddrDecoder.family(16)).isEqualTo("netlink");
        assertThat(SockAddrDecoder.family(17)).isEqualTo("packet"); // AF_PACKET: the stock rule tests evt.arg.domain contains AF_PACKET
        assertThat(SockAddrDecoder.family(99)).isEqualTo("unknown(99)");
        assertThat(SockAddrDecoder.sockType(1 | 0x800 | 0x80000)).isEqualTo("stream");
        assertThat(SockAddrDecoder.sockType(2 | 0x80000)).isEqualTo("dgram");
        assertThat(SockAddrDecoder.sockType(3)).isEqualTo("raw");
        assertThat(SockAddrDecoder.sockType(5)).isEqualTo("seqpacket");
        assertThat(SockAddrDecoder.sockType(10 | 0x800)).isEqualTo("unknown(10)");
        assertThat(SockAddrDecoder.protocol(2, 1 | 0x800, 0)).isEqualTo("tcp");
        assertThat(SockAddrDecoder.protocol(10, 1, 6)).isEqualTo("tcp");
        assertThat(SockAddrDecoder.protocol(2, 1, 132)).isEqualTo("");
        assertThat(SockAddrDecoder.protocol(10, 2, 0)).isEqualTo("udp");
        assertThat(SockAddrDecoder.protocol(2, 2, 17)).isEqualTo("udp");
        assertThat(SockAddrDecoder.protocol(2, 2, 1)).isEqualTo("icmp");
        assertThat(SockAddrDecoder.protocol(10, 3, 58)).isEqualTo("icmpv6");
        assertThat(SockAddrDecoder.protocol(2, 3, 255)).isEqualTo("raw");
        assertThat(SockAddrDecoder.protocol(1, 1, 0)).isEqualTo("");
        assertThat(SockAddrDecoder.protocol(16, 3, 0)).isEqualTo("");
    }

    @Test
    void loopback_addresses() {
        assertThat(SockAddrDecoder.isLoopback(decode(in4(80, 127, 0, 0, 1)))).isTrue();
        assertThat(SockAddrDecoder.isLoopback(decode(in4(80, 127, 9, 9, 9)))).isTrue();
        assertThat(SockAddrDecoder.isLoopback(decode(in4(80, 10, 0, 0, 1)))).isFalse();
        assertThat(SockAddrDecoder.isLoopback(decode(in6(80, "00000000000000000000000000000001", 0)))).isTrue();
        assertThat(SockAddrDecoder.isLoopback(decode(in6(80, "00000000000000000000ffff7f000001", 0)))).isTrue();
        assertThat(SockAddrDecoder.isLoopback(decode(in6(80, "00000000000000000000000000000002", 0)))).isFalse();
        assertThat(SockAddrDecoder.isLoopback(SockAddrDecoder.decode(in4(80, 127, 0, 0, 1), 0, 6))).isFalse();
        assertThat(SockAddrDecoder.isLoopback(new SockAddr("unix", "/tmp/x", 0))).isFalse();
        assertThat(SockAddrDecoder.isLoopback(null)).isFalse();
    }
}
