package dev.vigil.hunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.hunt.auth.TokenAuth;
import dev.vigil.hunt.ingest.IngestParser;
import dev.vigil.hunt.ingest.LineProblem;
import dev.vigil.hunt.ingest.ParsedBatch;
import dev.vigil.hunt.ioc.Indicators;
import dev.vigil.hunt.ioc.IocSweep;
import dev.vigil.hunt.query.Hunts;
import dev.vigil.hunt.query.QueryRefusedException;
import dev.vigil.hunt.query.QueryResult;
import dev.vigil.hunt.query.QueryService;
import dev.vigil.hunt.store.EventStore;
import dev.vigil.hunt.store.InsertResult;
import dev.vigil.hunt.ui.UiResources;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The hunt server: HTTP ingest of NDJSON event and alert batches into DuckDB, read-only SQL, canned hunts
 * (IOC sweep, process tree, workload timeline), counters, and the web UI, all behind one bearer token.
 * Start one with {@link #start(HuntConfig)}; {@link #close()} stops the listener and checkpoints the database.
 *
 * <p>Endpoints (all require {@code Authorization: Bearer <token>}; the UI's pages and its GET calls may use the
 * {@code vigil_hunt} cookie that {@code GET /login?token=...} sets instead):
 * {@code POST /api/ingest}, {@code GET|POST /api/query}, {@code GET|POST /api/ioc}, {@code GET /api/tree},
 * {@code GET /api/timeline}, {@code GET /api/alerts}, {@code GET /api/workloads}, {@code GET /api/stats},
 * {@code GET /api/health}, {@code GET /ui/}. See {@code docs/HUNT.md}.
 */
public final class HuntServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HuntServer.class.getName());
    private static final String COOKIE = "vigil_hunt";
    private static final int MAX_ERRORS_REPORTED = 50;

    private final HuntConfig config;
    private final TokenAuth auth;
    private final EventStore store;
    private final QueryService queries;
    private final Hunts hunts;
    private final IocSweep ioc;
    private final IngestParser parser;
    private final UiResources ui = new UiResources();
    private final Counters counters = new Counters("auth.refused", "ingest.batches", "ingest.events_stored",
            "ingest.events_duplicate", "ingest.alerts_stored", "ingest.alerts_duplicate", "ingest.lines_malformed",
            "ingest.lines_invalid", "ingest.lines_oversized", "ingest.lines_unknown_fields",
            "ingest.requests_oversized", "ingest.store_errors", "query.ok", "query.refused", "query.failed",
            "query.timed_out", "query.truncated", "ioc.sweeps", "http.requests", "http.internal_errors");
    private final ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
    private final HttpServer http;
    private final ExecutorService pool;
    private final long startedNs = System.nanoTime();
    private volatile Thread warmUp;

    private HuntServer(HuntConfig config, TokenAuth auth, EventStore store) throws IOException {
        this.config = config;
        this.auth = auth;
        this.store = store;
        this.queries = new QueryService(store, config.maxQueryRows(), config.queryTimeout());
        this.hunts = new Hunts(queries);
        this.ioc = new IocSweep(queries);
        this.parser = new IngestParser(config.maxLineBytes());
        this.http = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 128);
        this.pool = Executors.newFixedThreadPool(Math.max(2, config.httpThreads()), r -> {
            Thread t = new Thread(r, "vigil-hunt-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        http.createContext("/", this::handle);
    }

    /** Starts a server; a generated token is announced on stderr. */
    public static HuntServer start(HuntConfig config) throws IOException, SQLException {
        return start(config, System.err);
    }

    /**
     * Opens the database, loads or generates the token (announced on {@code notice}) and starts listening.
     *
     * @throws IOException  when the port cannot be bound or the token file cannot be read or written
     * @throws SQLException when the database cannot be opened (in use by another process, wrong version)
     */
    public static HuntServer start(HuntConfig config, PrintStream notice) throws IOException, SQLException {
        TokenAuth auth = TokenAuth.load(config.token(), config.tokenFile(), notice);
        EventStore store = EventStore.open(config.db(), config.memoryLimit(), config.threads());
        try {
            HuntServer s = new HuntServer(config, auth, store);
            s.http.start();
            s.warmUp();
            LOG.log(System.Logger.Level.INFO, "vigil hunt listening on {0}, database {1}", s.uri(), config.db());
            return s;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Reads the columns IOC sweeps scan into DuckDB's buffer pool in the background, so the first sweep after a
     * start is not the one that pays for loading them from disk.
     */
    private void warmUp() {
        warmUp = Thread.ofPlatform().name("vigil-hunt-warmup").daemon().start(() -> {
            try {
                queries.trusted("SELECT count(domains), count(remote_address), count(dns_answers), count(kind), "
                        + "max(time_ns), (SELECT count(cmdline) + count(exe_sha256) FROM processes) FROM events",
                        List.of(), 1);
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "warm-up query failed: " + e.getMessage());
            }
        });
    }

    /** The base URI, e.g. {@code http://127.0.0.1:7443/}. */
    public URI uri() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** The port listened on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The API token clients must present. */
    public String token() {
        return auth.token();
    }

    /** Live counters (the same as {@code GET /api/stats}). */
    public Counters counters() {
        return counters;
    }

    /** The configuration this server runs with. */
    public HuntConfig config() {
        return config;
    }

    /** The query service, for in-process callers (tests, benchmarks). */
    public QueryService queries() {
        return queries;
    }

    // ---------------------------------------------------------------------------------------------- dispatch

    private void handle(HttpExchange ex) throws IOException {
        counters.inc("http.requests");
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/login")) {
                login(ex);
                return;
            }
            if (!authenticated(ex, method)) {
                counters.inc("auth.refused");
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vigil-hunt\"");
                if (method.equals("GET") && (path.equals("/") || path.startsWith("/ui"))) {
                    sendBytes(ex, 401, "text/html; charset=utf-8", ui.loginPage());
                } else {
                    error(ex, 401, "missing or wrong API token: send 'Authorization: Bearer <token>'");
                }
                return;
            }
            route(ex, method, path);
        } catch (IllegalArgumentException e) {
            error(ex, 400, e.getMessage());
        } catch (Exception e) {
            counters.inc("http.internal_errors");
            LOG.log(System.Logger.Level.WARNING, "internal error on " + ex.getRequestURI().getPath(), e);
            try {
                error(ex, 500, "internal error: " + e.getClass().getSimpleName());
            } catch (IOException | RuntimeException ignored) {
                // headers already sent; the client sees a cut response
            }
        }
    }

    private void route(HttpExchange ex, String method, String path) throws IOException, SQLException {
        switch (path) {
            case "/", "/ui" -> redirect(ex, "/ui/");
            case "/favicon.ico" -> sendBytes(ex, 204, "image/x-icon", new byte[0]);
            case "/api/health" -> sendJson(ex, 200, Map.of("ok", true));
            case "/api/stats" -> stats(ex);
            case "/api/ingest" -> {
                if (!method.equals("POST")) error(ex, 405, "use POST with an NDJSON body");
                else ingest(ex);
            }
            case "/api/query" -> query(ex, method);
            case "/api/ioc" -> ioc(ex, method);
            case "/api/tree" -> tree(ex);
            case "/api/timeline" -> timeline(ex);
            case "/api/alerts" -> {
                Map<String, String> p = params(ex);
                sendJson(ex, 200, hunts.alerts(p.get("priority"), intParam(p, "limit", 200)));
            }
            case "/api/workloads" -> sendJson(ex, 200, hunts.workloads(intParam(params(ex), "limit", 1000)));
            default -> {
                if (path.startsWith("/ui/") && method.equals("GET")) {
                    UiResources.Resource r = ui.get(path.substring(4));
                    if (r == null) error(ex, 404, "no such page: " + path);
                    else sendBytes(ex, 200, r.contentType(), r.bytes());
                } else {
                    error(ex, 404, "no such endpoint: " + path);
                }
            }
        }
    }

    private boolean authenticated(HttpExchange ex, String method) {
        Headers h = ex.getRequestHeaders();
        if (auth.matchesHeader(h.getFirst("Authorization"))) return true;
        // The cookie is for the browser UI. A cross-site page cannot send it (SameSite=Strict), and a POST
        // must also carry a custom header, which a cross-site form cannot set.
        boolean safe = method.equals("GET") || method.equals("HEAD");
        if (!safe && h.getFirst("X-Vigil-UI") == null) return false;
        String cookies = h.getFirst("Cookie");
        if (cookies == null) return false;
        for (String c : cookies.split(";")) {
            String kv = c.strip();
            if (kv.startsWith(COOKIE + "=")) return auth.matches(kv.substring(COOKIE.length() + 1));
        }
        return false;
    }

    private void login(HttpExchange ex) throws IOException {
        String token = params(ex).get("token");
        if (!auth.matches(token)) {
            counters.inc("auth.refused");
            sendBytes(ex, 401, "text/html; charset=utf-8", ui.loginPage());
            return;
        }
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + auth.token() + "; Path=/; HttpOnly; SameSite=Strict");
        redirect(ex, "/ui/");
    }

    // ---------------------------------------------------------------------------------------------- handlers

    private void ingest(HttpExchange ex) throws IOException {
        byte[] body = readBody(ex);
        if (body == null) return;
        ParsedBatch batch = parser.parse(body);
        counters.add("ingest.lines_malformed", batch.refused(LineProblem.Kind.MALFORMED));
        counters.add("ingest.lines_invalid", batch.refused(LineProblem.Kind.INVALID));
        counters.add("ingest.lines_oversized", batch.refused(LineProblem.Kind.OVERSIZED));
        counters.add("ingest.lines_unknown_fields", batch.warnings().size());
        InsertResult r;
        try {
            r = store.insert(batch.events(), batch.alerts());
        } catch (SQLException e) {
            counters.inc("ingest.store_errors");
            LOG.log(System.Logger.Level.WARNING, "store insert failed", e);
            error(ex, 503, "the store could not write this batch, retry later: " + firstLine(e.getMessage()));
            return;
        }
        counters.inc("ingest.batches");
        counters.add("ingest.events_stored", r.eventsInserted());
        counters.add("ingest.events_duplicate", r.eventsDuplicate());
        counters.add("ingest.alerts_stored", r.alertsInserted());
        counters.add("ingest.alerts_duplicate", r.alertsDuplicate());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lines", batch.lines());
        out.put("events_stored", r.eventsInserted());
        out.put("events_duplicate", r.eventsDuplicate());
        out.put("alerts_stored", r.alertsInserted());
        out.put("alerts_duplicate", r.alertsDuplicate());
        out.put("refused", batch.refused().size());
        out.put("errors", batch.refused().stream().limit(MAX_ERRORS_REPORTED).map(LineProblem::message).toList());
        out.put("warnings", batch.warnings().stream().limit(MAX_ERRORS_REPORTED).map(LineProblem::message).toList());
        sendJson(ex, 200, out);
    }

    private void query(HttpExchange ex, String method) throws IOException {
        String sql;
        int limit;
        if (method.equals("POST")) {
            JsonNode body = readJson(ex);
            if (body == null) return;
            sql = body.path("sql").asText(null);
            limit = body.path("limit").asInt(0);
        } else {
            Map<String, String> p = params(ex);
            sql = p.get("sql");
            limit = intParam(p, "limit", 0);
        }
        try {
            QueryResult r = queries.query(sql, limit);
            countResult(r);
            counters.inc("query.ok");
            sendJson(ex, 200, r);
        } catch (QueryRefusedException e) {
            counters.inc("query.refused");
            error(ex, 400, "query refused: " + e.getMessage());
        } catch (SQLException e) {
            counters.inc("query.failed");
            error(ex, 400, "query failed: " + firstLine(e.getMessage()));
        }
    }

    private void countResult(QueryResult r) {
        if (r.truncated()) counters.inc("query.truncated");
        if (r.timedOut()) counters.inc("query.timed_out");
    }

    private void ioc(HttpExchange ex, String method) throws IOException, SQLException {
        Indicators ind;
        int limit;
        try {
            if (method.equals("POST")) {
                JsonNode b = readJson(ex);
                if (b == null) return;
                ind = Indicators.of(strings(b, "sha256"), strings(b, "domains"), strings(b, "ips"), strings(b, "cmdline"));
                limit = b.path("limit").asInt(1000);
            } else {
                Map<String, String> p = params(ex);
                ind = Indicators.parse(p.getOrDefault("q", ""));
                limit = intParam(p, "limit", 1000);
            }
        } catch (IllegalArgumentException e) {
            counters.inc("query.refused");
            error(ex, 400, "bad indicators: " + e.getMessage());
            return;
        }
        if (ind.size() == 0) {
            error(ex, 400, "no indicators given: send sha256, domains, ips or cmdline lists");
            return;
        }
        counters.inc("ioc.sweeps");
        IocSweep.Result r = ioc.sweep(ind, limit);
        countResult(r.processes());
        countResult(r.connections());
        countResult(r.dns());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("indicators", ind);
        out.put("processes", r.processes());
        out.put("connections", r.connections());
        out.put("dns", r.dns());
        out.put("elapsed_ms", r.elapsedMs());
        sendJson(ex, 200, out);
    }

    private void tree(HttpExchange ex) throws IOException, SQLException {
        Map<String, String> p = params(ex);
        try {
            String event = p.get("event");
            if (event == null && p.get("alert") != null) event = hunts.eventOfAlert(p.get("alert"));
            if (event == null) {
                error(ex, 400, "give ?event=<event id> or ?alert=<alert id>");
                return;
            }
            sendJson(ex, 200, hunts.processTree(event, intParam(p, "events", 200)));
        } catch (Hunts.NotFoundException e) {
            error(ex, 404, e.getMessage());
        }
    }

    private void timeline(HttpExchange ex) throws IOException, SQLException {
        Map<String, String> p = params(ex);
        String w = p.get("workload");
        if (w == null || w.isBlank()) {
            error(ex, 400, "give ?workload=<workload name or container id>");
            return;
        }
        long from = longParam(p, "from_ns", Long.MIN_VALUE);
        long to = longParam(p, "to_ns", Long.MAX_VALUE);
        sendJson(ex, 200, hunts.timeline(w, from, to, intParam(p, "limit", 1000)));
    }

    private void stats(HttpExchange ex) throws IOException, SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Long> all = new java.util.TreeMap<>(counters.snapshot());
        all.putAll(store.stats());
        out.put("counters", all);
        long[] n = store.counts();
        out.put("events", n[0]);
        out.put("alerts", n[1]);
        out.put("db", config.db().toString());
        out.put("uptime_s", Duration.ofNanos(System.nanoTime() - startedNs).toSeconds());
        sendJson(ex, 200, out);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The body, or null after answering 413 when it is larger than the limit. */
    private byte[] readBody(HttpExchange ex) throws IOException {
        int max = config.maxRequestBytes();
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        if (cl != null) {
            long len;
            try {
                len = Long.parseLong(cl.strip());
            } catch (NumberFormatException e) {
                error(ex, 400, "bad Content-Length");
                return null;
            }
            if (len > max) {
                counters.inc("ingest.requests_oversized");
                error(ex, 413, "request of " + len + " bytes is over the limit of " + max + "; send smaller batches");
                return null;
            }
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(max + 1);
        }
        if (body.length > max) {
            counters.inc("ingest.requests_oversized");
            error(ex, 413, "request body is over the limit of " + max + " bytes; send smaller batches");
            return null;
        }
        return body;
    }

    private JsonNode readJson(HttpExchange ex) throws IOException {
        byte[] b = readBody(ex);
        if (b == null) return null;
        try {
            JsonNode n = json.readTree(b);
            if (n == null || !n.isObject()) {
                error(ex, 400, "the body must be a JSON object");
                return null;
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            error(ex, 400, "the body is not valid JSON: " + e.getOriginalMessage());
            return null;
        }
    }

    private static List<String> strings(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw new IllegalArgumentException("'" + field + "' must be an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) throw new IllegalArgumentException("'" + field + "' must be an array of strings");
            out.add(e.textValue());
        }
        return out;
    }

    private static Map<String, String> params(HttpExchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) return out;
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static int intParam(Map<String, String> p, String name, int dflt) {
        String v = p.get(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "' must be an integer");
        }
    }

    private static long longParam(Map<String, String> p, String name, long dflt) {
        String v = p.get(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "' must be an integer");
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private void redirect(HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().set("Location", to);
        ex.sendResponseHeaders(303, -1);
    }

    private void error(HttpExchange ex, int status, String message) throws IOException {
        sendJson(ex, status, Map.of("error", message));
    }

    private void sendJson(HttpExchange ex, int status, Object body) throws IOException {
        sendBytes(ex, status, "application/json", json.writeValueAsBytes(body));
    }

    private static void sendBytes(HttpExchange ex, int status, String type, byte[] bytes) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(bytes);
            }
        }
    }

    /** Stops listening (in-flight requests get up to a second), then checkpoints and closes the database. */
    @Override public void close() throws SQLException {
        http.stop(1);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) pool.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queries.close();
        Thread w = warmUp;
        if (w != null) {
            try {
                w.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        store.close();
    }
}
