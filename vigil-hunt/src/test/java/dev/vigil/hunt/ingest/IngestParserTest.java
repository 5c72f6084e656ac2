package dev.vigil.hunt.ingest;

import dev.vigil.hunt.TestEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IngestParserTest {
    final IngestParser parser = new IngestParser(4096);
    final TestEvents ev = new TestEvents("s", "w");

    private ParsedBatch parse(String s) {
        return parser.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test void crlf_blank_lines_and_events_with_dns_fields_parse() {
        var p = TestEvents.proc(7, 1, "dig", "/usr/bin/dig", List.of("dig", "x.example"));
        ParsedBatch b = parse(ev.line(ev.dnsAnswer(p, "X.Example.", "192.0.2.3")) + "\r\n\r\n  \n"
                + ev.line(ev.exec(p)) + "\r\n");
        assertThat(b.refused()).isEmpty();
        assertThat(b.events()).hasSize(2);
        EventRow r = b.events().getFirst();
        assertThat(r.dnsNames()).containsExactly("x.example");
        assertThat(r.dnsAnswers()).containsExactly("192.0.2.3");
        assertThat(r.kind()).isEqualTo("dns.answer");
        assertThat(r.cmdline()).isEqualTo("dig x.example");
        assertThat(b.events().get(1).id()).isEqualTo("s-1");
    }

    @Test void duplicate_keys_trailing_garbage_and_bad_hashes_are_refused_per_line() {
        String good = ev.line(ev.exec(TestEvents.proc(7, 1, "a", "/a", List.of("a"))));
        ParsedBatch b = parse(good.replace("{\"schema\":1", "{\"schema\":1,\"schema\":1") + "\n"
                + good + " {}\n"
                + good.replace("\"proc\":{", "\"proc\":{\"exe_sha256\":\"xyz\",") + "\n"
                + good.replace("\"time_ns\":", "\"time_ns\":1.5,\"x\":") + "\n"
                + "{\"hello\":1}\n" + good);
        assertThat(b.events()).hasSize(1);
        assertThat(b.refused()).extracting(LineProblem::line).containsExactly(1, 2, 3, 4, 5);
        assertThat(b.refused().get(2).message()).contains("proc.exe_sha256");
        assertThat(b.refused().get(4).message()).contains("neither a Vigil event");
    }

    @Test void every_field_the_sensor_writes_is_known_so_no_event_kind_draws_a_warning() {
        var p = TestEvents.proc(7, 1, "a", "/a", List.of("a", "b"));
        var h = new dev.vigil.event.EventHeader(1, 1, 1, "s", new dev.vigil.event.Workload("w", "c", "cn", "i", "t", "p", "e",
                "cloud", java.util.Map.of("k", "v")));
        List<dev.vigil.event.Event> all = List.of(
                new dev.vigil.event.ProcessExec(h, p, "execve", 3, true),
                new dev.vigil.event.ProcessExecFailed(h, p, "execve", "/x", List.of("x"), 2),
                new dev.vigil.event.ProcessFork(h, p, "clone", 8, 8, false),
                new dev.vigil.event.ProcessExit(h, p, 0, 9, true),
                new dev.vigil.event.ProcessExit(h, p, 1, 0, false),
                new dev.vigil.event.FileOp(h, p, "renameat2", dev.vigil.event.FileOp.Op.RENAME, "/a", "/b", 1, 0644, -1, -1, 3, 0),
                new dev.vigil.event.FileOp(h, p, "fchownat", dev.vigil.event.FileOp.Op.CHOWN, "/a", null, 0, 0, 1, 1, -1, 0),
                new dev.vigil.event.FileOp(h, p, "openat", dev.vigil.event.FileOp.Op.OPEN, "/a", null, 0101, 0600, -1, -1, 3, 3),
                new dev.vigil.event.NetOp(h, p, "connect", dev.vigil.event.NetOp.Op.CONNECT, 3, "inet", "stream", "tcp",
                        new dev.vigil.event.SockAddr("inet", "1.2.3.4", 5), new dev.vigil.event.SockAddr("inet", "5.6.7.8", 80),
                        List.of("x.example"), 0),
                new dev.vigil.event.DnsMessage(h, p, "recvfrom", true, "udp", new dev.vigil.event.SockAddr("inet", "9.9.9.9", 53),
                        1, 3, List.of(new dev.vigil.event.DnsMessage.Question("x", "A")), List.of(), "truncated"),
                new dev.vigil.event.IdentityChange(h, p, "capset", 0, 0, 0, 0, 0, 0, 1, 1, 0),
                new dev.vigil.event.ProcessTamper(h, p, "ptrace", 9, "vi", 16, 0),
                new dev.vigil.event.SensorNotice(h, p, "start", "hello", java.util.Map.of("c", 1L)));
        var json = new dev.vigil.event.EventJson();
        for (dev.vigil.event.Event e : all) {
            ParsedBatch b = parse(json.toJson(e));
            assertThat(b.refused()).as(e.kind()).isEmpty();
            assertThat(b.warnings()).as(e.kind()).isEmpty();
        }
    }

    @Test void the_streaming_path_and_the_tree_path_agree_on_rows_and_problems() throws Exception {
        long seed = Long.getLong("vigil.seed", new java.util.Random().nextLong());
        java.util.Random rnd = new java.util.Random(seed);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            var p = TestEvents.proc(1 + rnd.nextInt(1000), 1, "p" + rnd.nextInt(9), "/bin/p", List.of("p", "-x", "" + i));
            String line = switch (rnd.nextInt(6)) {
                case 0 -> ev.line(ev.exec(p));
                case 1 -> ev.line(ev.open(p, "/f" + i));
                case 2 -> ev.lineWithSha(ev.connect(p, "10.0.0." + rnd.nextInt(255), 80, List.of("A.example.")), "F".repeat(64));
                case 3 -> ev.line(ev.dnsAnswer(p, "b.c.example", "192.0.2." + rnd.nextInt(255)));
                case 4 -> ev.line(ev.dnsQuery(p, "q.example"));
                default -> ev.line(ev.exec(p)).replace("\"proc\":{", "\"extra\":[1,{\"a\":2}],\"proc\":{\"zz\":1,");
            };
            // damage some lines in ways each path must report the same way
            switch (rnd.nextInt(12)) {
                case 0 -> line = line.replace("\"seq\":", "\"seq\":\"x\",\"y\":");
                case 1 -> line = line.replace("\"pid\":", "\"pid\":\"no\",\"q\":");
                case 2 -> line = line.substring(0, line.length() / 2);
                case 3 -> line = line.replace("\"schema\":1", "\"schema\":3");
                case 4 -> line = line.replace("\"workload\":{", "\"workload\":7,\"w2\":{");
                default -> { }
            }
            body.append(line).append('\n');
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ParsedBatch stream = parser.parse(bytes);
        ParsedBatch tree = new IngestParser(4096, false).parse(bytes);
        assertThat(rows(stream.events())).as("seed %d", seed).isEqualTo(rows(tree.events()));
        assertThat(stream.refused()).as("seed %d", seed).isEqualTo(tree.refused());
        assertThat(stream.warnings()).as("seed %d", seed).isEqualTo(tree.warnings());
    }

    private static List<List<Object>> rows(List<EventRow> rows) throws Exception {
        List<List<Object>> out = new java.util.ArrayList<>();
        for (EventRow r : rows) {
            List<Object> values = new java.util.ArrayList<>();
            for (var c : EventRow.class.getRecordComponents()) {
                Object v = c.getAccessor().invoke(r);
                values.add(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v);
            }
            out.add(values);
        }
        return out;
    }

    @Test void falco_alert_fields_are_lifted_from_output_fields() {
        ParsedBatch b = parse(TestEvents.falcoAlert("R", "Notice", "2026-02-03T04:05:06.000000001Z", "c1", 42, "nc"));
        AlertRow a = b.alerts().getFirst();
        assertThat(a.rule()).isEqualTo("R");
        assertThat(a.containerId()).isEqualTo("c1");
        assertThat(a.pid()).isEqualTo(42);
        assertThat(a.tags()).containsExactly("T1059", "container");
        assertThat(a.timeNs() % 1_000_000_000L).isEqualTo(1);
        assertThat(a.id()).hasSize(64);
        assertThat(parse("{\"rule\":\"R\",\"priority\":\"x\",\"output\":\"o\",\"time\":\"yesterday\"}").refused().getFirst()
                .message()).contains("not an RFC 3339 time");
    }
}
