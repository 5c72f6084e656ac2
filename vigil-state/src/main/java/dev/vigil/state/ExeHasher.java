package dev.vigil.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SHA-256 of executables, so that hash IOCs match what ran. Read through {@code /proc/<pid>/exe} (the very file
 * the process runs, even if its path was replaced or deleted) once per file: results are cached by device,
 * inode, size and modification time (bounded LRU). Files above {@link #maxBytes} are not hashed (counted), as
 * the exec stop waits for the hash.
 */
public final class ExeHasher {
    private final long maxBytes;
    private final LinkedHashMap<Object, String> cache;
    final AtomicLong hashed = new AtomicLong(), cached = new AtomicLong(), skipped = new AtomicLong();
    private final byte[] buf = new byte[1 << 16];
    private final MessageDigest sha;

    public ExeHasher(long maxBytes, int cacheEntries) {
        this.maxBytes = maxBytes;
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<Object, String> e) {
                return size() > cacheEntries;
            }
        };
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The hex SHA-256 of the executable of {@code pid}, or null (gone, unreadable, too large). */
    public synchronized String hash(Path procRoot, int pid) {
        Path exe = procRoot.resolve(Integer.toString(pid)).resolve("exe");
        try {
            BasicFileAttributes a = Files.readAttributes(exe, BasicFileAttributes.class);
            if (!a.isRegularFile()) return null;
            Object key = java.util.List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime().toMillis());
            String known = cache.get(key);
            if (known != null) {
                cached.incrementAndGet();
                return known;
            }
            if (a.size() > maxBytes) {
                skipped.incrementAndGet();
                return null;
            }
            sha.reset();
            try (InputStream in = Files.newInputStream(exe)) {
                for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            cache.put(key, hex);
            hashed.incrementAndGet();
            return hex;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
