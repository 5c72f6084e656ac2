package dev.vigil.hunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A small test client for the hunt API. */
final class HuntClient {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
    final URI base;
    final String token;

    HuntClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), token);
    }

    Reply post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), token);
    }

    Reply send(HttpRequest.Builder b, String tok) throws IOException, InterruptedException {
        if (tok != null) b.header("Authorization", "Bearer " + tok);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    Reply ingest(String ndjson) throws IOException, InterruptedException {
        return post("/api/ingest", ndjson);
    }

    Reply query(String sql) throws IOException, InterruptedException {
        return post("/api/query", JSON.createObjectNode().put("sql", sql).toString());
    }

    long count(String sql) throws IOException, InterruptedException {
        Reply r = query(sql);
        if (r.status() != 200) throw new AssertionError(r.body());
        return r.json().path("rows").get(0).get(0).asLong();
    }
}
