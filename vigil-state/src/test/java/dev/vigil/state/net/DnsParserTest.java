package dev.vigil.state.net;

import dev.vigil.event.DnsMessage.Answer;
import dev.vigil.event.DnsMessage.Question;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class DnsParserTest {

    /** Writes DNS wire bytes by hand; offsets are absolute, so pointers can be aimed with {@link #pos()}. */
    static final class Msg {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Msg header(int id, int flags, int qd, int an, int ns, int ar) {
            return u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
        }
        int pos() { return out.size(); }
        Msg u8(int v) { out.write(v); return this; }
        Msg u16(int v) { return u8(v >>> 8 & 0xff).u8(v & 0xff); }
        Msg u32(long v) { return u16((int) (v >>> 16 & 0xffff)).u16((int) (v & 0xffff)); }
        Msg raw(byte... b) { out.writeBytes(b); return this; }
        Msg label(String s) { return label(s.getBytes(StandardCharsets.ISO_8859_1)); }
        Msg label(byte[] b) { return u8(b.length).raw(b); }
        /** Labels of a dotted name, without the terminating root label. */
        Msg labels(String dotted) {
            for (var l : dotted.split("\\.")) label(l);
            return this;
        }
        Msg name(String dotted) { return labels(dotted).u8(0); }
        Msg ptr(int target) { return u16(0xc000 | target); }
        Msg question(int type) { return u16(type).u16(1); }
        /** Type, class IN, TTL, rdlength and rdata of a record whose owner name was just written. */
        Msg rr(int type, long ttl, byte[] rdata) { return u16(type).u16(1).u32(ttl).u16(rdata.length).raw(rdata); }
        byte[] bytes() { return out.toByteArray(); }
    }

    static byte[] tcp(byte[] msg) {
        var b = new byte[msg.length + 2];
        b[0] = (byte) (msg.length >>> 8);
        b[1] = (byte) msg.length;
        System.arraycopy(msg, 0, b, 2, msg.length);
        return b;
    }

    /** A query for example.com A with RD set. */
    static byte[] query() {
        return new Msg().header(0x1234, 0x0100, 1, 0, 0, 0).name("example.com").question(1).bytes();
    }

    /**
     * A response for WWW.Example.COM A: CNAME to cdn.example.com, CNAME to edge.cdn.example.com, A and AAAA for
     * the latter; every owner name and the CNAME targets compressed; one EDNS OPT record in the additional section.
     */
    static byte[] response() {
        var m = new Msg().header(0xbeef, 0x8180, 1, 4, 0, 1);
        int qname = m.pos();
        m.name("WWW.Example.COM").question(1);
        int exampleCom = qname + 4;
        m.ptr(qname);
        int cdnAt = m.pos() + 10;   // rdata of the first CNAME
        m.rr(5, 300, new Msg().labels("cdn").ptr(exampleCom).bytes());
        m.ptr(cdnAt);
        int edgeAt = m.pos() + 10;
        m.rr(5, 300, new Msg().labels("edge").ptr(cdnAt).bytes());
        m.ptr(edgeAt).rr(1, 60, new byte[] {93, (byte) 184, (byte) 215, 14});
        m.ptr(edgeAt).rr(28, 60, new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        m.u8(0).u16(41).u16(1232).u32(0).u16(0);   // OPT: root owner, payload size in the class field
        return m.bytes();
    }

    /** NXDOMAIN for nope.example A with the zone's SOA in the authority section. */
    static byte[] nxdomain() {
        var m = new Msg().header(7, 0x8183, 1, 0, 1, 0);
        int qname = m.pos();
        m.name("nope.example").question(1);
        m.ptr(qname + 5);
        var soa = new Msg().labels("ns1").ptr(qname + 5).labels("hostmaster").ptr(qname + 5)
                .u32(2026120401).u32(7200).u32(3600).u32(1209600).u32(300).bytes();
        return m.rr(6, 900, soa).bytes();
    }

    static DnsParser.Parsed parse(byte[] b) {
        return DnsParser.parse(b, 0, b.length, false);
    }

    @Test
    void query_for_example_com_a() {
        var p = parse(query());
        assertThat(p.problem()).isNull();
        assertThat(p.id()).isEqualTo(0x1234);
        assertThat(p.response()).isFalse();
        assertThat(p.opcode()).isZero();
        assertThat(p.rcode()).isZero();
        assertThat(p.truncated()).isFalse();
        assertThat(p.questions()).containsExactly(new Question("example.com", "A"));
        assertThat(p.answers()).isEmpty();
    }

    @Test
    void response_with_cname_chain_a_and_aaaa_through_compression_pointers() {
        var p = parse(response());
        assertThat(p.problem()).isNull();
        assertThat(p.id()).isEqualTo(0xbeef);
        assertThat(p.response()).isTrue();
        assertThat(p.questions()).containsExactly(new Question("www.example.com", "A"));
        assertThat(p.answers()).containsExactly(
                new Answer("www.example.com", "CNAME", "cdn.example.com", 300),
                new Answer("cdn.example.com", "CNAME", "edge.cdn.example.com", 300),
                new Answer("edge.cdn.example.com", "A", "93.184.215.14", 60),
                new Answer("edge.cdn.example.com", "AAAA", "2001:db8::1", 60));
    }

    @Test
    void tcp_length_prefix_is_read_and_bytes_past_it_ignored() {
        var msg = response();
        assertThat(DnsParser.parse(tcp(msg), 0, msg.length + 2, true)).isEqualTo(parse(msg));
        var pipelined = Arrays.copyOf(tcp(msg), msg.length + 2 + 5);   // start of a next message
        assertThat(DnsParser.parse(pipelined, 0, pipelined.length, true)).isEqualTo(parse(msg));
    }

    @Test
    void tcp_length_beyond_the_bytes_present_gives_a_truncation() {
        var full = tcp(response());
        var p = DnsParser.parse(full, 0, full.length - 20, true);
        assertThat(p.problem()).isEqualTo("truncated answer");
        assertThat(p.questions()).hasSize(1);
        var q = tcp(query());
        var longer = Arrays.copyOf(q, q.length);
        longer[1] += 10;   // says 10 more bytes follow than do
        assertThat(DnsParser.parse(longer, 0, longer.length, true).problem()).isEqualTo("truncated message");
        assertThat(DnsParser.parse(full, 0, 1, true).problem()).isEqualTo("truncated header");
        assertThat(DnsParser.parse(new byte[] {0, 5, 1, 2, 3, 4, 5}, 0, 7, true).problem()).isEqualTo("not dns");
    }

    @Test
    void nxdomain_rcode_with_soa_in_authority() {
        var p = parse(nxdomain());
        assertThat(p.problem()).isNull();
        assertThat(p.rcode()).isEqualTo(3);
        assertThat(p.response()).isTrue();
        assertThat(p.questions()).containsExactly(new Question("nope.example", "A"));
        assertThat(p.answers()).isEmpty();
    }

    @Test
    void every_cut_of_a_valid_response_is_reported_and_never_throws() {
        for (var full : new byte[][] {response(), nxdomain(), query()}) {
            for (int n = 0; n <= full.length; n++) {
                int len = n;
                assertThatCode(() -> DnsParser.parse(full, 0, len, false)).doesNotThrowAnyException();
                var p = DnsParser.parse(full, 0, len, false);
                if (n == full.length) assertThat(p.problem()).isNull();
                else assertThat(p.problem()).as("cut at %d of %d", n, full.length).isNotNull().startsWith("truncated");
                var t = tcp(full);
                assertThat(DnsParser.parse(t, 0, n + 2, true)).as("tcp cut at %d", n).isEqualTo(p);
            }
        }
    }

    @Test
    void cut_header_keeps_the_fields_it_has() {
        var p = DnsParser.parse(response(), 0, 4, false);
        assertThat(p.problem()).isEqualTo("truncated header");
        assertThat(p.id()).isEqualTo(0xbeef);
        assertThat(p.response()).isTrue();
    }

    @Test
    void self_pointing_name_is_a_compression_loop() {
        var b = new Msg().header(1, 0, 1, 0, 0, 0).ptr(12).question(1).bytes();
        assertThat(parse(b).problem()).isEqualTo("compression loop");
        var intoOwnLabels = new Msg().header(1, 0, 1, 0, 0, 0).labels("a.b").ptr(12).question(1).bytes();
        assertThat(parse(intoOwnLabels).problem()).isEqualTo("compression loop");
    }

    @Test
    void pointer_chain_longer_than_128_jumps_is_a_compression_loop() {
        var m = new Msg().header(1, 0x8000, 1, 200, 0, 0);
        int prev = m.pos();
        m.name("x").question(1);
        for (int i = 0; i < 200; i++) {
            int here = m.pos();
            m.ptr(prev).rr(99, 0, new byte[0]);
            prev = here;
        }
        var p = parse(m.bytes());
        assertThat(p.problem()).isEqualTo("compression loop");
    }

    @Test
    void forward_pointer_and_pointer_into_the_header_are_bad_pointers() {
        var forward = new Msg().header(1, 0, 1, 0, 0, 0).ptr(18).question(1).name("a").bytes();
        assertThat(parse(forward).problem()).isEqualTo("bad pointer");
        var intoHeader = new Msg().header(1, 0, 1, 0, 0, 0).ptr(4).question(1).bytes();
        assertThat(parse(intoHeader).problem()).isEqualTo("bad pointer");
        var pastEnd = new Msg().header(1, 0, 1, 0, 0, 0).ptr(0x3fff).question(1).bytes();
        assertThat(parse(pastEnd).problem()).isEqualTo("bad pointer");
    }

    @Test
    void label_of_64_bytes_is_too_long() {
        var b = new Msg().header(1, 0, 1, 0, 0, 0).label("a".repeat(64)).u8(0).question(1).bytes();
        assertThat(parse(b).problem()).isEqualTo("label too long");
    }

    @Test
    void name_of_300_bytes_is_too_long_and_255_is_not() {
        var longName = String.join(".", "a".repeat(59), "b".repeat(59), "c".repeat(59), "d".repeat(59), "e".repeat(59));
        var b = new Msg().header(1, 0, 1, 0, 0, 0).name(longName).question(1).bytes();
        assertThat(parse(b).problem()).isEqualTo("name too long");
        var max = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));   // 255 wire bytes
        var ok = new Msg().header(1, 0, 1, 0, 0, 0).name(max).question(1).bytes();
        assertThat(parse(ok).problem()).isNull();
        assertThat(parse(ok).questions().getFirst().name()).isEqualTo(max);
    }

    @Test
    void more_than_64_questions_stop_with_too_many_records() {
        var m = new Msg().header(1, 0, 65, 0, 0, 0);
        for (int i = 0; i < 65; i++) m.name("q" + i + ".test").question(1);
        var p = parse(m.bytes());
        assertThat(p.problem()).isEqualTo("too many records");
        assertThat(p.questions()).hasSize(64);
    }

    @Test
    void more_than_256_answers_stop_with_too_many_records() {
        var m = new Msg().header(1, 0x8000, 1, 300, 0, 0);
        m.name("a.test").question(1);
        for (int i = 0; i < 300; i++) m.ptr(12).rr(1, 1, new byte[] {10, 0, (byte) (i >>> 8), (byte) i});
        var p = parse(m.bytes());
        assertThat(p.problem()).isEqualTo("too many records");
        assertThat(p.answers()).hasSize(256);
    }

    @Test
    void label_bytes_are_escaped_and_letters_lower_cased() {
        var label = new byte[] {'A', '.', 'b', 0, (byte) 0xff, ' ', '\\', 'Z', '-', '_'};
        var b = new Msg().header(1, 0, 2, 0, 0, 0).label(label).label("COM").u8(0).question(65).u8(0).question(99).bytes();
        var p = parse(b);
        assertThat(p.problem()).isNull();
        assertThat(p.questions()).containsExactly(new Question("a\\.b\\000\\255\\032\\\\z-_.com", "HTTPS"),
                new Question("", "TYPE99"));
    }

    @Test
    void type_names() {
        assertThat(DnsParser.typeName(1)).isEqualTo("A");
        assertThat(DnsParser.typeName(2)).isEqualTo("NS");
        assertThat(DnsParser.typeName(5)).isEqualTo("CNAME");
        assertThat(DnsParser.typeName(6)).isEqualTo("SOA");
        assertThat(DnsParser.typeName(12)).isEqualTo("PTR");
        assertThat(DnsParser.typeName(15)).isEqualTo("MX");
        assertThat(DnsParser.typeName(16)).isEqualTo("TXT");
        assertThat(DnsParser.typeName(28)).isEqualTo("AAAA");
        assertThat(DnsParser.typeName(33)).isEqualTo("SRV");
        assertThat(DnsParser.typeName(64)).isEqualTo("SVCB");
        assertThat(DnsParser.typeName(65)).isEqualTo("HTTPS");
        assertThat(DnsParser.typeName(255)).isEqualTo("ANY");
        assertThat(DnsParser.typeName(65535)).isEqualTo("TYPE65535");
    }

    @Test
    void malformed_a_rdata_and_non_in_class_are_skipped() {
        var m = new Msg().header(1, 0x8000, 1, 2, 0, 0).name("a.test").question(1);
        m.ptr(12).rr(1, 1, new byte[] {1, 2, 3});
        m.ptr(12).u16(1).u16(3).u32(1).u16(4).raw(new byte[] {1, 2, 3, 4});   // class CH
        var p = parse(m.bytes());
        assertThat(p.problem()).isNull();
        assertThat(p.answers()).isEmpty();
    }

    @Test
    void unassigned_opcode_is_not_dns() {
        var b = query();
        b[2] |= (byte) (15 << 3);
        assertThat(parse(b).problem()).isEqualTo("not dns");
    }

    @Test
    void null_and_out_of_range_arguments_are_a_truncated_header() {
        assertThat(DnsParser.parse(null, 0, 10, false).problem()).isEqualTo("truncated header");
        assertThat(DnsParser.parse(query(), -1, 10, false).problem()).isEqualTo("truncated header");
        assertThat(DnsParser.parse(query(), 100, 10, false).problem()).isEqualTo("truncated header");
        assertThat(DnsParser.parse(query(), 0, -3, true).problem()).isEqualTo("truncated header");
        var q = query();
        assertThat(DnsParser.parse(q, 0, 10_000, false)).isEqualTo(parse(q));
    }

    @Test
    void looks_like_dns_accepts_queries_and_responses_and_rejects_other_payloads() {
        assertThat(DnsParser.looksLikeDns(query(), 0, query().length)).isTrue();
        assertThat(DnsParser.looksLikeDns(response(), 0, response().length)).isTrue();
        var http = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(DnsParser.looksLikeDns(http, 0, http.length)).isFalse();
        var noQuestion = new Msg().header(1, 0, 0, 0, 0, 0).bytes();
        assertThat(DnsParser.looksLikeDns(noQuestion, 0, noQuestion.length)).isFalse();
        var seventeen = new Msg().header(1, 0, 17, 0, 0, 0).name("a").question(1).bytes();
        assertThat(DnsParser.looksLikeDns(seventeen, 0, seventeen.length)).isFalse();
        var update = query();
        update[2] |= (byte) (5 << 3);
        assertThat(DnsParser.looksLikeDns(update, 0, update.length)).isFalse();
        assertThat(DnsParser.looksLikeDns(query(), 0, query().length - 1)).isFalse();
        assertThat(DnsParser.looksLikeDns(null, 0, 40)).isFalse();
        assertThat(DnsParser.looksLikeDns(query(), 20, 40)).isFalse();
    }
}
