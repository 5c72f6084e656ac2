package dev.vigil.hunt.bench;

import dev.vigil.event.ProcessInfo;
import dev.vigil.hunt.HuntConfig;
import dev.vigil.hunt.HuntServer;
import dev.vigil.hunt.TestEvents;
import dev.vigil.hunt.store.EventStore;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmarks of the hunt server, not part of the test run:
 * <pre>
 * mvn -pl vigil-hunt -am -Pbench verify -DskipTests      # or run this class's main with the test classpath
 * </pre>
 * {@code ingest [events]}: HTTP ingest of realistic schema-1 lines in batches of 1000 from 2 clients.
 * {@code ioc [events]}: IOC sweep of 100 indicators over a store filled with synthetic rows.
 */
public final class HuntBench {
    /** Concurrent HTTP clients of the ingest benchmark ({@code -Dbench.clients}, default 2). */
    private static final int CLIENTS = Integer.getInteger("bench.clients", 2);
    /**
     * Whether the ingest clients are {@link LeanClient}s (default) rather than {@code java.net.http} clients,
     * which spend ~7 % of the two cores on their own: sensors send from other machines, so the load generator
     * should take as little of the server's CPU as it can ({@code -Dbench.lean=false} for the JDK client).
     */
    private static final boolean LEAN = Boolean.parseBoolean(System.getProperty("bench.lean", "true"));

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        Path dir = Files.createTempDirectory("vigil-hunt-bench");
        if (what.equals("ingest") || what.equals("all")) ingest(dir, args.length > 1 ? Integer.parseInt(args[1]) : 500_000);
        if (what.equals("ioc-only")) sweepOverHttp(Path.of(args[1]), Long.parseLong(args[2]));
        if (what.equals("ioc") || what.equals("all")) ioc(dir, args.length > 2 ? Long.parseLong(args[2])
                : args.length > 1 && what.equals("ioc") ? Long.parseLong(args[1]) : 10_000_000L);
    }

    static void ingest(Path dir, int n) throws Exception {
        int batch = Integer.getInteger("bench.batch", 1000);
        TestEvents ev = new TestEvents("bench-sensor", "web");
        List<byte[]> bodies = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            ProcessInfo p = TestEvents.proc(1000 + i % 500, 1, "worker", "/usr/bin/worker",
                    List.of("worker", "--job", Integer.toString(i % 97)));
            String line = switch (i % 4) {
                case 0 -> ev.line(ev.exec(p));
                case 1 -> ev.line(ev.open(p, "/var/data/file-" + i));
                case 2 -> ev.line(ev.connect(p, "10.1." + (i % 250) + ".7", 443, List.of("api" + (i % 50) + ".example.com")));
                default -> ev.line(ev.dnsQuery(p, "api" + (i % 50) + ".example.com"));
            };
            sb.append(line).append('\n');
            if ((i + 1) % batch == 0) {
                byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                bytes += b.length;
                bodies.add(b);
                sb.setLength(0);
            }
        }
        try (HuntServer s = HuntServer.start(HuntConfig.of(dir.resolve("ingest.duckdb")).withMemoryLimit("2GB").withThreads(Integer.getInteger("bench.threads", 2)),
                new PrintStream(new ByteArrayOutputStream()));
             HttpClient http = HttpClient.newHttpClient();
             ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int start = c;
                fs.add(pool.submit(() -> {
                    if (LEAN) {
                        try (LeanClient lean = new LeanClient(s.uri(), s.token())) {
                            for (int i = start; i < bodies.size(); i += CLIENTS) lean.post("/api/ingest", bodies.get(i));
                        }
                        return null;
                    }
                    for (int i = start; i < bodies.size(); i += CLIENTS) {
                        HttpRequest r = HttpRequest.newBuilder(s.uri().resolve("/api/ingest"))
                                .header("Authorization", "Bearer " + s.token())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build();
                        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
                        if (resp.statusCode() != 200) throw new IllegalStateException(resp.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            double acked = (System.nanoTime() - t0) / 1e9;
            // The stats endpoint counts the rows, which first waits for the writer to commit all it accepted.
            HttpResponse<String> stats = http.send(HttpRequest.newBuilder(s.uri().resolve("/api/stats"))
                    .header("Authorization", "Bearer " + s.token()).build(), HttpResponse.BodyHandlers.ofString());
            double secs = (System.nanoTime() - t0) / 1e9;
            long rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stats.body()).path("events").asLong();
            System.out.printf("ingest: %,d events (%,d MB of JSON) over HTTP in batches of %d from %d %sclients: "
                            + "acknowledged in %.2f s, committed in %.2f s = %,.0f events/s; rows in the table: %d%n",
                    n, bytes >> 20, batch, CLIENTS, LEAN ? "lean " : "JDK ", acked, secs, n / secs, rows);
        }
    }

    static void ioc(Path dir, long n) throws Exception {
        Path db = dir.resolve("ioc.duckdb");
        EventStore.open(db, "2GB", 2).close();
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            s.execute("SET memory_limit='4GB'");
            // 100 sensors numbering their events without gaps; 200,000 process images (2,000 per sensor), 50 events
            // each; a quarter of the events are connections, a quarter DNS queries.
            s.execute("INSERT INTO events (id, schema, sensor, seq, time_ns, ts, kind, evt_type, workload, container_id, pid, ppid, "
                    + "proc_name, exe_path, exe_sha256, cmdline, proc_start_ns, remote_address, remote_port, remote_names, dns_names, "
                    + "dns_answers, domains, raw) SELECT 's' || (i % 100) || '-' || (i // 100), 1, 's' || (i % 100), i // 100, "
                    + "1767000000000000000 + i * 1000, make_timestamp((1767000000000000000 + i * 1000) // 1000), "
                    + "CASE i % 4 WHEN 0 THEN 'process.exec' WHEN 1 THEN 'file.open' WHEN 2 THEN 'net.connect' ELSE 'dns.query' END, "
                    + "'execve', 'wl' || (p % 100), 'ctr' || (p % 100), p::INT, 1, 'proc' || (p % 1000), "
                    + "'/usr/bin/proc' || (p % 1000), sha256('exe' || (p % 5000)), "
                    + "'proc' || (p % 1000) || ' --arg ' || p || ' --mode fast', p, "
                    + "CASE WHEN i % 4 = 2 THEN '10.' || (i % 200) || '.' || (i % 250) || '.' || (i % 253) END, "
                    + "CASE WHEN i % 4 = 2 THEN 443 END, "
                    + "CASE WHEN i % 4 = 2 THEN ['host' || (i % 20000) || '.example.com'] END, "
                    + "CASE WHEN i % 4 = 3 THEN ['host' || (i % 20000) || '.example.com'] END, "
                    + "CASE WHEN i % 4 = 3 THEN ['10.' || (i % 200) || '.1.1'] END, "
                    + "CASE WHEN i % 4 >= 2 THEN ['host' || (i % 20000) || '.example.com', 'example.com'] END, '{}' "
                    + "FROM (SELECT i, (i % 100) + 100 * ((i // 100) % 2000) AS p FROM range(" + n + ") t(i))");
            s.execute("INSERT INTO processes SELECT DISTINCT ON (sensor, pid, proc_start_ns) sensor, pid, proc_start_ns, ppid, "
                    + "workload, container_id, proc_name, exe_path, exe_sha256, cmdline, parent_name, time_ns, ts, id FROM events "
                    + "ORDER BY sensor, pid, proc_start_ns, time_ns");
            s.execute("CHECKPOINT");
        }
        System.out.printf("ioc: generated %,d rows in %.1f s, database %,d MB%n", n, (System.nanoTime() - t0) / 1e9,
                Files.size(db) >> 20);
        sweepOverHttp(db, n);
    }

    /** The sweep part of {@code ioc}, on an existing database (also: {@code ioc-only <db file> <events>}). */
    static void sweepOverHttp(Path db, long n) throws Exception {
        try (HuntServer s = HuntServer.start(HuntConfig.of(db).withMemoryLimit("2GB").withQueryTimeout(Duration.ofSeconds(60))
                        .withThreads(Integer.getInteger("bench.threads", 2)),
                new PrintStream(new ByteArrayOutputStream()));
             HttpClient http = HttpClient.newHttpClient()) {
            StringBuilder body = new StringBuilder("{\"sha256\":[");
            for (int i = 0; i < 25; i++) body.append(i > 0 ? "," : "").append('"').append(sha256("exe" + (i * 199))).append('"');
            body.append("],\"domains\":[");
            for (int i = 0; i < 25; i++) body.append(i > 0 ? "," : "").append("\"host").append(i * 797).append(".example.com\"");
            body.append("],\"ips\":[");
            for (int i = 0; i < 25; i++) body.append(i > 0 ? "," : "").append("\"10.").append(i).append('.').append(i).append('.').append(i).append('"');
            body.append("],\"cmdline\":[");
            for (int i = 0; i < 25; i++) body.append(i > 0 ? "," : "").append("\"--arg ").append(10000 + i).append(" \"");
            body.append("],\"limit\":1000}");
            Thread.sleep(3000); // the server warms the IOC columns into its buffer pool at start
            for (int run = 0; run < 8; run++) {
                long q0 = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(s.uri().resolve("/api/ioc"))
                        .header("Authorization", "Bearer " + s.token())
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                double ms = (System.nanoTime() - q0) / 1e6;
                if (r.statusCode() != 200) throw new IllegalStateException(r.body());
                var j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
                System.out.printf("ioc: 100 indicators over %,d events: %.0f ms over HTTP (server %d ms); matches: %d processes, %d connections, %d dns%n",
                        n, ms, j.path("elapsed_ms").asLong(), j.path("processes").path("rows").size(),
                        j.path("connections").path("rows").size(), j.path("dns").path("rows").size());
            }
        }
    }

    static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A load generator's HTTP/1.1 client: one keep-alive connection, a request written as header and body
     * from arrays, the answer read by Content-Length. Only what the hunt server's ingest answers needs.
     */
    static final class LeanClient implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.OutputStream out;
        private final java.io.DataInputStream in;
        private final String host;
        private final String token;

        LeanClient(java.net.URI server, String token) throws java.io.IOException {
            this.socket = new java.net.Socket(server.getHost(), server.getPort());
            socket.setTcpNoDelay(true);
            this.out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            this.in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16));
            this.host = server.getHost() + ":" + server.getPort();
            this.token = token;
        }

        /** POSTs {@code body}; fails unless the answer is 200. */
        void post(String path, byte[] body) throws java.io.IOException {
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = line();
            long length = -1;
            for (String h; !(h = line()).isEmpty(); )
                if (h.regionMatches(true, 0, "content-length:", 0, 15)) length = Long.parseLong(h.substring(15).trim());
            if (length < 0) throw new java.io.IOException("no Content-Length in the answer to " + path);
            byte[] answer = new byte[(int) length];
            in.readFully(answer);
            if (!status.startsWith("HTTP/1.1 200"))
                throw new IllegalStateException(status + ": " + new String(answer, StandardCharsets.UTF_8));
        }

        private String line() throws java.io.IOException {
            StringBuilder sb = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) throw new java.io.EOFException("connection closed by the server");
                if (b != '\r') sb.append((char) b);
            }
            return sb.toString();
        }

        @Override public void close() throws java.io.IOException {
            socket.close();
        }
    }
}
