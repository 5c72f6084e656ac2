package dev.vigil.hunt.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UI's static files, looked up by name among a fixed set (no path from the request reaches the classpath),
 * loaded once per server instance.
 */
public final class UiResources {
    /** One file: its bytes and content type. */
    public record Resource(byte[] bytes, String contentType) {}

    private static final Map<String, String> FILES = Map.of(
            "", "text/html; charset=utf-8",
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "login.html", "text/html; charset=utf-8");
    private final Map<String, Resource> cache = new ConcurrentHashMap<>();

    /** The file called {@code name} (empty for index.html), or null when there is none. */
    public Resource get(String name) {
        String type = FILES.get(name);
        if (type == null) return null;
        String file = name.isEmpty() ? "index.html" : name;
        return cache.computeIfAbsent(file, f -> new Resource(load(f), type));
    }

    /** The page shown to a browser without a valid token. */
    public byte[] loginPage() {
        return get("login.html").bytes();
    }

    private static byte[] load(String file) {
        try (InputStream in = UiResources.class.getResourceAsStream(file)) {
            if (in == null) throw new IllegalStateException("UI resource missing from the jar: " + file);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
