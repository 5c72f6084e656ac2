package dev.vigil.rules.output;

import static dev.vigil.rules.testing.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.rules.engine.Priority;
import dev.vigil.rules.engine.RuleEngine;
import dev.vigil.rules.fields.FieldCatalog;
import dev.vigil.rules.testing.TestEngine;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden tests of Falco-compatible output rendering. */
class AlertFormatterTest {
    private static final String RULES = """
            - rule: Shell in container
              desc: a shell ran
              condition: evt.type = execve and proc.name = bash
              output: >
                Shell spawned (user=%user.name uid=%user.uid process=%proc.name parent=%proc.pname
                gparent=%proc.aname[2] ggparent=%proc.aname[3] cmdline=%proc.cmdline container=%container.id
                pod=%k8s.pod.name flags=%evt.arg.flags tty=%proc.tty)
              priority: WARNING
              tags: [container, shell, mitre_execution]
            """;

    private Alert alert() {
        RuleEngine e = TestEngine.yaml(RULES);
        assertThat(e.errors()).isEmpty();
        return TestEngine.alerts(e, exec(proc("bash").args("bash", "-c", "echo \"hi\"").parent("sh", "/bin/sh").parent("java", "/usr/bin/java"))).getFirst();
    }

    @Test
    void text_output_is_time_priority_message_with_na_for_missing_values() {
        assertThat(AlertFormatter.text(alert())).isEqualTo("16:00:00.123456789: Warning Shell spawned (user=root uid=0 "
                + "process=bash parent=sh gparent=java ggparent=<NA> cmdline=bash -c echo \"hi\" container=3f2a9c1b7d4e "
                + "pod=<NA> flags=0 tty=0)");
    }

    @Test
    void json_output_matches_falco_keys_and_value_types() {
        String json = AlertFormatter.json(alert());
        assertThat(json).isEqualTo("{\"time\":\"2025-12-04T16:00:00.123456789Z\",\"rule\":\"Shell in container\","
                + "\"priority\":\"Warning\",\"output\":\"16:00:00.123456789: Warning Shell spawned (user=root uid=0 process=bash "
                + "parent=sh gparent=java ggparent=<NA> cmdline=bash -c echo \\\"hi\\\" container=3f2a9c1b7d4e pod=<NA> "
                + "flags=0 tty=0)\",\"output_fields\":{\"user.name\":\"root\",\"user.uid\":0,\"proc.name\":\"bash\","
                + "\"proc.pname\":\"sh\",\"proc.aname[2]\":\"java\",\"proc.aname[3]\":null,\"proc.cmdline\":\"bash -c echo \\\"hi\\\"\","
                + "\"container.id\":\"3f2a9c1b7d4e\",\"k8s.pod.name\":null,\"evt.arg.flags\":\"0\",\"proc.tty\":0},"
                + "\"source\":\"syscall\",\"tags\":[\"container\",\"shell\",\"mitre_execution\"],\"hostname\":\"test-host\"}");
    }

    @Test
    void templates_bind_fields_once_and_report_unknown_ones() {
        List<OutputTemplate.Problem> problems = new ArrayList<>();
        OutputTemplate t = OutputTemplate.compile("a=%proc.name b=%proc.name. c=%proc.nope 100%", FieldCatalog.standard(), problems);
        assertThat(t.fields()).hasSize(1);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.offset()).isEqualTo(29);
            assertThat(p.message()).contains("proc.nope");
        });
    }

    @Test
    void stream_sink_writes_one_line_per_alert(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts.json");
        try (StreamSink s = StreamSink.file(file, Format.JSON)) {
            s.send(alert());
            s.send(alert());
        }
        assertThat(Files.readAllLines(file)).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"time\""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamSink text = StreamSink.of(out, Format.TEXT);
        AlertSink.minPriority(Priority.ERROR, text).send(alert());
        AlertSink.minPriority(Priority.NOTICE, text).send(alert());
        text.close();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(1);
    }

    @Test
    void http_sink_posts_falco_json() throws Exception {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + "|" + ex.getRequestHeaders().getFirst("Content-Type"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        try {
            HttpSink sink = new HttpSink(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), 16, Duration.ofSeconds(2));
            sink.send(alert());
            sink.close();
            assertThat(sink.sent()).isEqualTo(1);
            assertThat(sink.failures()).isZero();
            assertThat(bodies).singleElement().satisfies(b -> assertThat(b).startsWith("{\"time\"").endsWith("|application/json"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void http_sink_counts_failures_instead_of_throwing() {
        HttpSink sink = new HttpSink(URI.create("http://127.0.0.1:1/"), 1, Duration.ofMillis(500));
        sink.send(alert());
        sink.close();
        assertThat(sink.failures()).isEqualTo(1);
    }

    @Test
    void match_sink_formats_once_per_match() {
        List<Alert> got = new ArrayList<>();
        RuleEngine e = TestEngine.yaml(RULES);
        e.evaluate(exec(proc("bash")), AlertSink.toMatchSink(List.of(got::add, got::add)));
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).isSameAs(got.get(1));
    }
}
