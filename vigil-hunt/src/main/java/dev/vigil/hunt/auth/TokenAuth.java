package dev.vigil.hunt.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The hunt server's API token and its check. The token comes from (in order) an explicit value (for example
 * the {@code VIGIL_HUNT_TOKEN} environment variable), the token file, or is generated on first start, written
 * to the token file with mode 0600 and printed once. Comparison is constant-time: both sides are hashed with
 * SHA-256 and compared with {@link MessageDigest#isEqual}, so neither content nor length leaks through timing.
 */
public final class TokenAuth {
    /** Environment variable read by {@link #load} callers (the CLI) for the token. */
    public static final String ENV = "VIGIL_HUNT_TOKEN";
    private static final int MIN_LENGTH = 16;

    private final String token;
    private final byte[] digest;

    private TokenAuth(String token) {
        this.token = token;
        this.digest = sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    /** A check against a known token (tests, or a token the caller already holds). */
    public static TokenAuth of(String token) {
        if (token == null || token.strip().length() < MIN_LENGTH)
            throw new IllegalArgumentException("the hunt API token must have at least " + MIN_LENGTH + " characters");
        return new TokenAuth(token.strip());
    }

    /**
     * Loads the token: {@code explicit} when not null/blank, else the first line of {@code file}, else a new
     * random token written to {@code file} (0600) and announced on {@code notice}.
     *
     * @throws IOException when the file cannot be read or written; the message names the file
     */
    public static TokenAuth load(String explicit, Path file, PrintStream notice) throws IOException {
        if (explicit != null && !explicit.isBlank()) return of(explicit);
        if (file == null) throw new IllegalArgumentException("no token given and no token file configured");
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            int nl = text.indexOf('\n');
            String first = nl < 0 ? text : text.substring(0, nl).strip();
            if (first.length() < MIN_LENGTH)
                throw new IOException(file + ": token too short (" + first.length() + " characters, need "
                        + MIN_LENGTH + "); delete the file to have a new one generated");
            return new TokenAuth(first);
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException nonPosix) {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException race) {
            return load(null, file, notice);
        }
        Files.writeString(file, fresh + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        if (notice != null)
            notice.println("vigil hunt: generated a new API token, saved in " + file + " (mode 0600): " + fresh);
        return new TokenAuth(fresh);
    }

    /** The token itself, for the CLI to hand to clients it starts. */
    public String token() {
        return token;
    }

    /** True when {@code presented} (a bare token) equals the token; constant time. */
    public boolean matches(String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(digest, sha256(presented.getBytes(StandardCharsets.UTF_8)));
    }

    /** True when an {@code Authorization} header value is {@code Bearer <token>}; constant time in the token. */
    public boolean matchesHeader(String authorization) {
        if (authorization == null) return false;
        String a = authorization.strip();
        if (a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return matches(a.substring(7).strip());
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required of every JDK", e);
        }
    }

    @Override public String toString() {
        return "TokenAuth[***]";
    }
}
