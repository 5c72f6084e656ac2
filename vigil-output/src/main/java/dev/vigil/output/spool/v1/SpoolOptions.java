package dev.vigil.output.spool.v1;

/**
 * Spool settings.
 *
 * @param maxBytes          total size bound of all segments; when reached the oldest segment is dropped (counted)
 * @param segmentBytes      a segment is closed and a new one started past this size
 * @param fsync             when appended data is forced to disk
 * @param fsyncIntervalMs   period of the background fsync for {@link Fsync#INTERVAL}
 */
public record SpoolOptions(long maxBytes, int segmentBytes, Fsync fsync, long fsyncIntervalMs) {
    /** When appended records are forced to stable storage. */
    public enum Fsync {
        /** After every append: nothing acknowledged by the caller is lost in a power cut; slowest. */
        ALWAYS,
        /** A background thread forces the active segment every {@code fsyncIntervalMs}; the default. */
        INTERVAL,
        /** Left to the OS: survives a process crash, not a power cut. */
        NEVER
    }

    public SpoolOptions {
        if (segmentBytes < 4096) throw new IllegalArgumentException("segmentBytes must be at least 4096");
        if (maxBytes < 2L * segmentBytes)
            throw new IllegalArgumentException("maxBytes (" + maxBytes + ") must be at least two segments ("
                    + 2L * segmentBytes + ")");
        if (fsync == null) fsync = Fsync.INTERVAL;
        if (fsyncIntervalMs <= 0) fsyncIntervalMs = 1000;
    }

    /** 256 MiB in 8 MiB segments, fsync every second. */
    public static SpoolOptions defaults() {
        return new SpoolOptions(256L << 20, 8 << 20, Fsync.INTERVAL, 1000);
    }

    public SpoolOptions withMaxBytes(long v) { return new SpoolOptions(v, segmentBytes, fsync, fsyncIntervalMs); }
    public SpoolOptions withSegmentBytes(int v) { return new SpoolOptions(maxBytes, v, fsync, fsyncIntervalMs); }
    public SpoolOptions withFsync(Fsync v) { return new SpoolOptions(maxBytes, segmentBytes, v, fsyncIntervalMs); }
}
