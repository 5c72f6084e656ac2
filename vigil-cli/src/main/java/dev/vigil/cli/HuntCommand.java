package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vigil hunt}: runs the hunt server ({@code serve}) and queries one ({@code query}, {@code ioc}).
 *
 * <p>The server lives in {@code vigil-hunt}; {@code serve} reaches it through {@code HuntServer.start(HuntConfig)}
 * looked up at run time, so this command compiles whether or not vigil-cli's pom already depends on
 * vigil-hunt (add {@code dev.vigil:vigil-hunt} there to ship the server in the vigil jar). The clients speak
 * the HTTP API only. The token comes from {@code --token-file} or the {@code VIGIL_HUNT_TOKEN} variable.
 */
@Command(name = "hunt", mixinStandardHelpOptions = true,
        description = "The hunt server (events and alerts in DuckDB, SQL, IOC sweeps, web UI) and its clients.",
        subcommands = {HuntCommand.Serve.class, HuntCommand.Query.class, HuntCommand.Ioc.class})
public final class HuntCommand implements Runnable {
    static final String TOKEN_ENV = "VIGIL_HUNT_TOKEN";
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code vigil hunt serve}: runs the server until interrupted. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run the hunt server. A token is generated and printed on first start when none exists.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--db", required = true, description = "DuckDB database file (created when absent).")
        Path db;
        @Option(names = "--port", defaultValue = "7070", description = "TCP port (0: any free port). Default: ${DEFAULT-VALUE}.")
        int port;
        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
        String bind;
        @Option(names = "--token-file", description = "API token file; generated (mode 0600) when absent. Default: <db>.token. "
                + "The " + TOKEN_ENV + " variable, when set, takes precedence.")
        Path tokenFile;

        @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Also consume this Kafka cluster's topic "
                + "(see --topic) into Parquet files under --parquet.")
        String kafka;
        @Option(names = "--topic", defaultValue = "vigil-events", description = "Kafka topic. Default: ${DEFAULT-VALUE}.")
        String topic;
        @Option(names = "--parquet", description = "Directory of the Parquet files (v1/events/day=.../workload=...).")
        Path parquet;

        /** Counted down once the server is listening (tests). */
        final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch stop = new CountDownLatch(1);
        /** Counted down once the server is closed: the store has committed what it acknowledged. */
        private final CountDownLatch closed = new CountDownLatch(1);

        void stop() {
            stop.countDown();
        }

        /** On SIGTERM: stops the server and waits (a minute at most) until it is closed, before the JVM exits. */
        private void stopAndWait() {
            stop();
            try {
                closed.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintStream notice = new PrintStream(new java.io.OutputStream() {
                @Override public void write(int b) {
                    out.write(b);
                }

                @Override public void flush() {
                    out.flush();
                }
            }, true, StandardCharsets.UTF_8);
            if ((kafka == null) != (parquet == null))
                throw new CommandLine.ParameterException(spec.commandLine(), "--kafka and --parquet go together");
            AutoCloseable server = HuntBridge.start(db, bind, port, tokenFile, System.getenv(TOKEN_ENV), notice);
            AutoCloseable consumer = null;
            if (kafka != null) {
                try {
                    consumer = HuntBridge.startKafka(kafka, topic, parquet);
                } catch (Exception e) {
                    server.close();
                    throw e;
                }
                out.println("vigil hunt: consuming kafka://" + kafka + "/" + topic + " into " + parquet);
            }
            Thread hook = new Thread(this::stopAndWait, "vigil-hunt-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try (server) {
                out.println("vigil hunt: listening on " + HuntBridge.uri(server) + " (database " + db + "); UI at "
                        + HuntBridge.uri(server) + "ui/ (sign in with the token)");
                out.flush();
                started.countDown();
                stop.await();
                if (consumer != null) consumer.close();
            } finally {
                closed.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting: the hook is what called stop()
                }
            }
            return 0;
        }
    }

    /** No token was given to a client command. */
    static final class NoTokenException extends RuntimeException {
        NoTokenException() {
            super("no token: give --token-file or set " + TOKEN_ENV, null, false, false);
        }
    }

    private static int noToken(CommandLine.Model.CommandSpec spec, NoTokenException e) {
        spec.commandLine().getErr().println("vigil hunt: " + e.getMessage());
        spec.commandLine().getErr().flush();
        return 64;
    }

    /** Options shared by the client commands. */
    static final class Client {
        @Option(names = "--url", defaultValue = "http://127.0.0.1:7070/", description = "Hunt server URL. Default: ${DEFAULT-VALUE}.")
        URI url;
        @Option(names = "--token-file", description = "File holding the API token (else the " + TOKEN_ENV + " variable).")
        Path tokenFile;
        @Option(names = "--json", description = "Print the server's JSON answer as it is.")
        boolean json;

        String token() throws IOException {
            if (tokenFile != null) return Files.readString(tokenFile, StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
            String env = System.getenv(TOKEN_ENV);
            if (env == null || env.isBlank()) throw new NoTokenException();
            return env.strip();
        }

        HttpResponse<String> send(String path, String jsonBody) throws IOException, InterruptedException {
            URI base = url.toString().endsWith("/") ? url : URI.create(url + "/");
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + token());
            b = jsonBody == null ? b.GET() : b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
            try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
                return c.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
        }
    }

    /** {@code vigil hunt query SQL}: runs one read-only SELECT. */
    @Command(name = "query", mixinStandardHelpOptions = true, description = "Run one read-only SQL query (SELECT or WITH) "
            + "over the tables events and alerts; prints tab-separated rows.")
    static final class Query implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Client client = new Client();
        @Option(names = "--limit", defaultValue = "1000", description = "Most rows. Default: ${DEFAULT-VALUE}.")
        int limit;
        @Parameters(paramLabel = "SQL", arity = "1..*", description = "The query (words are joined with spaces).")
        List<String> sql;

        @Override public Integer call() throws Exception {
            String body = "{\"sql\":" + quote(String.join(" ", sql)) + ",\"limit\":" + limit + "}";
            try {
                return print(spec, client, client.send("api/query", body), "");
            } catch (NoTokenException e) {
                return noToken(spec, e);
            }
        }
    }

    /** {@code vigil hunt ioc}: sweeps all history for indicators. */
    @Command(name = "ioc", mixinStandardHelpOptions = true, description = "Sweep every stored process, connection and "
            + "DNS request for indicators: executable SHA-256, domains (and their subdomains), IPs, command-line text.")
    static final class Ioc implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Client client = new Client();
        @Option(names = "--sha256", split = ",", description = "Executable SHA-256 hashes.") List<String> sha256 = new ArrayList<>();
        @Option(names = "--domain", split = ",", description = "Domain names.") List<String> domains = new ArrayList<>();
        @Option(names = "--ip", split = ",", description = "IP addresses.") List<String> ips = new ArrayList<>();
        @Option(names = "--cmdline", description = "Command-line substring (repeatable).") List<String> cmdline = new ArrayList<>();
        @Option(names = "--file", description = "File of indicators, one per line, classified like the UI's search box "
                + "(hash, IP, domain, else command-line text); # starts a comment.") Path file;
        @Option(names = "--limit", defaultValue = "1000", description = "Most rows per section. Default: ${DEFAULT-VALUE}.")
        int limit;

        @Override public Integer call() throws Exception {
            if (file != null) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) continue;
                    String low = l.toLowerCase(java.util.Locale.ROOT);
                    if (low.matches("[0-9a-f]{64}")) sha256.add(low);
                    else if (low.matches("[0-9.]+|[0-9a-f:]*:[0-9a-f:.]*")) ips.add(low);
                    else if (low.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)+\\.?")) domains.add(low);
                    else cmdline.add(l);
                }
            }
            String body = "{\"sha256\":" + list(sha256) + ",\"domains\":" + list(domains) + ",\"ips\":" + list(ips)
                    + ",\"cmdline\":" + list(cmdline) + ",\"limit\":" + limit + "}";
            try {
                return print(spec, client, client.send("api/ioc", body), "ioc");
            } catch (NoTokenException e) {
                return noToken(spec, e);
            }
        }
    }

    /** Prints an answer: JSON as is with --json, else each result set as a titled tab-separated table. */
    static int print(CommandLine.Model.CommandSpec spec, Client client, HttpResponse<String> r, String kind)
            throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (r.statusCode() != 200) {
            String msg = r.body();
            try {
                msg = JSON.readTree(r.body()).path("error").asText(r.body());
            } catch (IOException notJson) {
                // print the body as it came
            }
            err.println("vigil hunt: HTTP " + r.statusCode() + ": " + msg);
            err.flush();
            return r.statusCode() == 401 ? 77 : 65;
        }
        if (client.json) {
            out.println(r.body());
        } else if (kind.equals("ioc")) {
            JsonNode tree = JSON.readTree(r.body());
            for (String section : List.of("processes", "connections", "dns")) {
                JsonNode res = tree.path(section);
                out.println("# " + section + ": " + res.path("rows").size());
                if (!res.path("rows").isEmpty()) printTable(out, res);
            }
        } else {
            printTable(out, JSON.readTree(r.body()));
        }
        out.flush();
        return 0;
    }

    private static void printTable(PrintWriter out, JsonNode result) {
        List<String> head = new ArrayList<>();
        result.path("columns").forEach(c -> head.add(c.asText()));
        out.println(String.join("\t", head));
        for (JsonNode row : result.path("rows")) {
            List<String> cells = new ArrayList<>();
            for (JsonNode v : row) cells.add(v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString());
            out.println(String.join("\t", cells));
        }
        if (result.path("truncated").asBoolean()) out.println("# truncated at the row limit");
        if (result.path("timed_out").asBoolean()) out.println("# stopped at the time limit");
    }

    static String quote(String s) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    static String list(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (String v : values) {
            if (sb.length() > 1) sb.append(',');
            sb.append(quote(v));
        }
        return sb.append(']').toString();
    }

    /** The server in vigil-hunt, reached through its public API by name (see the class comment). */
    static final class HuntBridge {
        private HuntBridge() {}

        static AutoCloseable start(Path db, String bind, int port, Path tokenFile, String token, PrintStream notice)
                throws Exception {
            Class<?> cfgClass, serverClass;
            try {
                cfgClass = Class.forName("dev.vigil.hunt.HuntConfig");
                serverClass = Class.forName("dev.vigil.hunt.HuntServer");
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("this vigil build has no hunt server: vigil-hunt is not on the classpath "
                        + "(add dev.vigil:vigil-hunt to vigil-cli's dependencies)");
            }
            try {
                Object cfg = cfgClass.getMethod("of", Path.class).invoke(null, db);
                cfg = cfgClass.getMethod("withBind", String.class).invoke(cfg, bind);
                cfg = cfgClass.getMethod("withPort", int.class).invoke(cfg, port);
                if (tokenFile != null) cfg = cfgClass.getMethod("withTokenFile", Path.class).invoke(cfg, tokenFile);
                if (token != null && !token.isBlank()) cfg = cfgClass.getMethod("withToken", String.class).invoke(cfg, token);
                return (AutoCloseable) serverClass.getMethod("start", cfgClass, PrintStream.class).invoke(null, cfg, notice);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception ex) throw ex;
                throw e;
            }
        }

        static AutoCloseable startKafka(String bootstrap, String topic, Path root) throws Exception {
            Class<?> k;
            try {
                k = Class.forName("dev.vigil.hunt.ingest.KafkaParquetConsumer");
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("this vigil build has no hunt server: vigil-hunt is not on the classpath");
            }
            try {
                return (AutoCloseable) k.getMethod("start", String.class, String.class, String.class, Path.class,
                        java.util.Map.class).invoke(null, bootstrap, topic, "vigil-hunt", root, java.util.Map.of());
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception ex) throw ex;
                throw e;
            }
        }

        static URI uri(AutoCloseable server) throws ReflectiveOperationException {
            return (URI) server.getClass().getMethod("uri").invoke(server);
        }
    }
}
