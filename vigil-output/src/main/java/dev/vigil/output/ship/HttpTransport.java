package dev.vigil.output.ship;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Posts batches as newline-delimited JSON to the hunt server's {@code /api/ingest} with the bearer token.
 * 2xx acknowledges; 413 asks for smaller batches; everything else (connection refused, timeout, 401, 5xx) is
 * retried, since the server's ingest is idempotent by event id.
 */
final class HttpTransport implements Transport {
    private static final Pattern REFUSED = Pattern.compile("\"refused\"\\s*:\\s*(\\d+)");
    private final HttpClient client;
    private final URI ingest;
    private final String token;
    private final Duration timeout;

    HttpTransport(URI target, String token, Duration timeout) {
        String path = target.getPath();
        this.ingest = path != null && path.endsWith("/api/ingest") ? target
                : target.resolve((path == null || path.isEmpty() ? "/" : path.endsWith("/") ? "" : "/") + "api/ingest");
        this.token = token;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    URI ingestUri() {
        return ingest;
    }

    @Override public Result send(List<byte[]> lines, List<Byte> types) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(lines.size() * 512);
        for (byte[] l : lines) {
            body.writeBytes(l);
            body.write('\n');
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(ingest).timeout(timeout)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (token != null) req.header("Authorization", "Bearer " + token);
        HttpResponse<String> r;
        try {
            r = client.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Result.retry("cannot reach " + ingest + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.retry("interrupted");
        }
        int s = r.statusCode();
        if (s >= 200 && s < 300) {
            Matcher m = REFUSED.matcher(r.body());
            return Result.ok(m.find() ? Long.parseLong(m.group(1)) : 0);
        }
        if (s == 413) return new Result(Outcome.TOO_LARGE, "HTTP 413 from " + ingest, 0);
        String body1 = r.body() == null ? "" : r.body();
        if (body1.length() > 200) body1 = body1.substring(0, 200);
        return Result.retry("HTTP " + s + " from " + ingest + ": " + body1);
    }

    @Override public void close() {
        client.close();
    }
}
