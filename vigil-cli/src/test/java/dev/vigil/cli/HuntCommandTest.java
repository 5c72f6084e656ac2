package dev.vigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HuntCommandTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new HuntCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static boolean huntOnClasspath() {
        try {
            Class.forName("dev.vigil.hunt.HuntServer");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test void help_lists_the_subcommands() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("serve").contains("query").contains("ioc");
        assertThat(run("serve", "--help").out()).contains("--db").contains("--port").contains("--bind").contains("--token-file")
                .contains("127.0.0.1");
    }

    @Test void clients_without_a_token_fail_with_a_clear_message() {
        Run r = run("query", "--url", "http://127.0.0.1:9/", "SELECT", "1");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("no token").contains("VIGIL_HUNT_TOKEN");
    }

    @Test void serve_then_query_and_ioc_against_it() throws Exception {
        assumeTrue(huntOnClasspath(), "vigil-hunt is not a dependency of vigil-cli yet");
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new HuntCommand());
        cl.setOut(new PrintWriter(out, true));
        HuntCommand.Serve serve = (HuntCommand.Serve) cl.getSubcommands().get("serve").getCommand();
        Path token = dir.resolve("token");
        Thread t = Thread.ofPlatform().start(() -> cl.execute("serve", "--db", dir.resolve("h.duckdb").toString(),
                "--port", "0", "--token-file", token.toString()));
        try {
            assertThat(serve.started.await(30, TimeUnit.SECONDS)).as(out.toString()).isTrue();
            Matcher m = Pattern.compile("listening on (http://\\S+/) ").matcher(out.toString());
            assertThat(m.find()).as(out.toString()).isTrue();
            String url = m.group(1);
            assertThat(out.toString()).contains("generated a new API token");
            String tok = Files.readString(token).strip();
            String line = "{\"schema\":1,\"id\":\"s-0\",\"seq\":0,\"time_ns\":1,\"kind\":\"process.exec\",\"evt_type\":\"execve\","
                    + "\"sensor\":\"s\",\"workload\":{\"name\":\"w\"},\"proc\":{\"pid\":5,\"tid\":5,\"ppid\":1,\"name\":\"nc\","
                    + "\"exe_path\":\"/bin/nc\",\"argv\":[\"nc\",\"-e\",\"/bin/sh\"],\"ancestors\":[]}}";
            HttpResponse<String> ing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "api/ingest"))
                    .header("Authorization", "Bearer " + tok).POST(HttpRequest.BodyPublishers.ofString(line)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ing.body()).contains("\"events_stored\":1");

            Run q = run("query", "--url", url, "--token-file", token.toString(), "SELECT proc_name, cmdline FROM events");
            assertThat(q.code()).as(q.err()).isZero();
            assertThat(q.out()).isEqualTo("proc_name\tcmdline\nnc\tnc -e /bin/sh\n");

            Run refused = run("query", "--url", url, "--token-file", token.toString(), "DELETE FROM events");
            assertThat(refused.code()).isEqualTo(65);
            assertThat(refused.err()).contains("HTTP 400").contains("query refused");

            Path iocs = dir.resolve("iocs.txt");
            Files.writeString(iocs, "# campaign X\nevil.example\n-e /bin/sh\n");
            Run ioc = run("ioc", "--url", url, "--token-file", token.toString(), "--file", iocs.toString());
            assertThat(ioc.code()).as(ioc.err()).isZero();
            assertThat(ioc.out()).contains("# processes: 1").contains("cmdline:-e /bin/sh").contains("# dns: 0");

            Files.writeString(dir.resolve("bad"), "not-the-token-at-all\n");
            Run bad = run("query", "--url", url, "--token-file", dir.resolve("bad").toString(), "SELECT 1");
            assertThat(bad.code()).isEqualTo(77);
        } finally {
            serve.stop();
            t.join(30_000);
        }
    }
}
