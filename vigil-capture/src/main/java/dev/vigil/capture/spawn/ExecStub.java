package dev.vigil.capture.spawn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Locates the exec stub binary. It ships inside the jar; since the kernel can only exec a file, it is copied
 * once into a private (0700) cache directory under a name derived from its length and CRC32C, so concurrent sensors and
 * upgrades never see a half-written or foreign stub. {@code -Dvigil.stub=PATH} or {@code VIGIL_STUB} override
 * it (e.g. for a read-only image where the stub is installed beside the jar).
 */
public final class ExecStub {
    static final String RESOURCE = "/dev/vigil/capture/spawn/vigil-exec-stub";

    private ExecStub() {}

    /** The stub's path, extracting it if needed. */
    public static Path locate() {
        String override = System.getProperty("vigil.stub", System.getenv("VIGIL_STUB"));
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isExecutable(p)) throw new IllegalStateException("exec stub " + p + " is not executable");
            return p;
        }
        byte[] bytes;
        try (InputStream in = ExecStub.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("exec stub missing from the jar (" + RESOURCE
                    + "): the build compiles it with gcc; rebuild with ./vigil or mvn package");
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the exec stub", e);
        }
        String name = "vigil-exec-stub-" + contentId(bytes);
        Path dir = cacheDir();
        Path target = dir.resolve(name);
        if (Files.isExecutable(target)) return target;
        try {
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the exec stub into " + dir
                    + " (set VIGIL_CACHE to a writable directory, or VIGIL_STUB to an installed stub)", e);
        }
    }

    private static Path cacheDir() {
        String uid = uid();
        String base = System.getenv("VIGIL_CACHE");
        Path dir;
        if (base != null && !base.isBlank()) dir = Path.of(base);
        else if (System.getenv("XDG_CACHE_HOME") != null) dir = Path.of(System.getenv("XDG_CACHE_HOME"), "vigil");
        else dir = Path.of(System.getProperty("java.io.tmpdir"), "vigil-" + uid);
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!String.valueOf(owner).equals(uid)) {
                throw new IllegalStateException("cache directory " + dir + " belongs to uid " + owner
                        + ", not to us (uid " + uid + "); set VIGIL_CACHE to a private directory");
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cache directory " + dir, e);
        }
        return dir;
    }

    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException e) {
            return System.getProperty("user.name", "user");
        }
    }

    /** Length and CRC32C of the stub: tells builds apart (the directory is private, so no forgery to fear). */
    private static String contentId(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        return Integer.toHexString(bytes.length) + "-" + Long.toHexString(crc.getValue());
    }
}
