package dev.vigil.state.net;

import dev.vigil.event.DnsMessage.Answer;
import dev.vigil.event.DnsMessage.Question;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Fuzzes {@link DnsParser} with arbitrary bytes and with damaged valid messages: it must always return. */
class DnsParserProperties {
    static final Set<String> PROBLEMS = Set.of("truncated header", "truncated question", "truncated answer",
            "truncated message", "compression loop", "label too long", "name too long", "bad pointer",
            "too many records", "not dns");

    @Property(tries = 2000)
    void arbitrary_bytes_give_a_well_formed_result(@ForAll @Size(max = 600) byte[] bytes, @ForAll boolean tcp) {
        check(DnsParser.parse(bytes, 0, bytes.length, tcp));
        if (DnsParser.looksLikeDns(bytes, 0, bytes.length)) {
            assertThat(DnsParser.parse(bytes, 0, bytes.length, false).questions()).isNotEmpty();
        }
    }

    @Property(tries = 1000)
    void arbitrary_ranges_are_clamped(@ForAll @Size(max = 100) byte[] bytes, @ForAll @IntRange(min = -3, max = 110) int off,
                                      @ForAll @IntRange(min = -3, max = 200) int len, @ForAll boolean tcp) {
        check(DnsParser.parse(bytes, off, len, tcp));
        DnsParser.looksLikeDns(bytes, off, len);
    }

    /** A plausible header with small counts over a random body reaches the name and record code far more often. */
    @Property(tries = 2000)
    void random_body_behind_a_plausible_header(@ForAll @Size(max = 588) byte[] body, @ForAll @IntRange(max = 70) int qd,
                                               @ForAll @IntRange(max = 300) int an, @ForAll @IntRange(max = 3) int ns,
                                               @ForAll @IntRange(max = 3) int ar) {
        var msg = new DnsParserTest.Msg().header(42, 0x8180, qd, an, ns, ar).raw(body).bytes();
        check(DnsParser.parse(msg, 0, msg.length, false));
        assertThat(DnsParser.parse(DnsParserTest.tcp(msg), 0, msg.length + 2, true))
                .isEqualTo(DnsParser.parse(msg, 0, msg.length, false));
    }

    @Property(tries = 3000)
    void damaged_valid_messages_give_a_well_formed_result(
            @ForAll @IntRange(max = 2) int which,
            @ForAll @Size(max = 6) List<@IntRange(max = 1000) Integer> flipAt,
            @ForAll @Size(min = 1, max = 6) List<Byte> flipTo,
            @ForAll @IntRange(max = 400) int cut,
            @ForAll @IntRange(max = 3) int pad, @ForAll @IntRange(max = 2) int tail) {
        byte[] valid = switch (which) {
            case 0 -> DnsParserTest.query();
            case 1 -> DnsParserTest.response();
            default -> DnsParserTest.nxdomain();
        };
        var b = Arrays.copyOf(valid, valid.length);
        for (int i = 0; i < flipAt.size(); i++) b[flipAt.get(i) % b.length] = flipTo.get(i % flipTo.size());
        int len = Math.min(cut, b.length);
        // The range sits between junk bytes; with no tail the array ends where the range does, so any read past
        // the range would throw.
        var framed = new byte[pad + len + tail];
        Arrays.fill(framed, (byte) 0xc0);
        System.arraycopy(b, 0, framed, pad, len);
        var p = DnsParser.parse(framed, pad, len, false);
        check(p);
        assertThat(p).isEqualTo(DnsParser.parse(b, 0, len, false));
        if (flipAt.isEmpty()) assertThat(p.problem() == null).isEqualTo(len == b.length);
        var t = DnsParserTest.tcp(b);
        check(DnsParser.parse(Arrays.copyOf(t, len + 2), 0, len + 2, true));
    }

    static void check(DnsParser.Parsed p) {
        assertThat(p).isNotNull();
        assertThat(p.id()).isBetween(0, 0xffff);
        assertThat(p.opcode()).isBetween(0, 15);
        assertThat(p.rcode()).isBetween(0, 15);
        if (p.problem() != null) assertThat(p.problem()).isIn(PROBLEMS);
        assertThat(p.questions()).isNotNull().hasSizeLessThanOrEqualTo(64);
        assertThat(p.answers()).isNotNull().hasSizeLessThanOrEqualTo(256);
        for (Question q : p.questions()) {
            assertName(q.name());
            assertThat(q.type()).matches("[A-Z]+|TYPE\\d+");
        }
        for (Answer a : p.answers()) {
            assertName(a.name());
            assertThat(a.type()).isIn("A", "AAAA", "CNAME");
            assertThat(a.data()).isNotNull();
            if (a.type().equals("CNAME")) assertName(a.data());
            assertThat(a.ttl()).isBetween(0L, 0xffffffffL);
        }
    }

    /** Presentation text: printable ASCII only, no upper case, at most four characters per wire byte. */
    static void assertName(String name) {
        assertThat(name).isNotNull().hasSizeLessThanOrEqualTo(4 * 255);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            assertThat(c > ' ' && c < 0x7f && !(c >= 'A' && c <= 'Z')).as("char %d of %s", i, name).isTrue();
        }
    }
}
