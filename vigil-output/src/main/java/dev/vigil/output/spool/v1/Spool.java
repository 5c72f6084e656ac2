package dev.vigil.output.spool.v1;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * An append-only spool of records in segment files (format in {@code package-info.java}). Appends never touch
 * the network and never throw: a failed or impossible append is counted as dropped. The reader reads from an
 * offset and acknowledges up to an offset; acknowledged segments are deleted.
 */
public final class Spool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Spool.class.getName());
    static final String SUFFIX = ".vspool";
    static final String ACKED = "acked";

    /** One record read back: its offset, type and payload, and the offset of the record after it. */
    public record Entry(long offset, byte type, byte[] payload, long next) {}

    private static final class Segment {
        final long base;
        final Path path;
        long size; // bytes readable: header plus whole records

        Segment(long base, Path path, long size) {
            this.base = base;
            this.path = path;
            this.size = size;
        }

        long end() {
            return base + size;
        }
    }

    private final Path dir;
    private final SpoolOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appendedCond = lock.newCondition();
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private FileChannel active;
    private long ackedOffset;
    private long totalBytes;
    private boolean dirty;
    private boolean closed;
    private ByteBuffer writeBuf = ByteBuffer.allocate(64 << 10);
    private long appended, dropped, droppedSegments, corruptRecords, tornBytes, writeErrors, tooLarge;
    private final Thread fsyncThread;

    private Spool(Path dir, SpoolOptions options) {
        this.dir = dir;
        this.options = options;
        this.fsyncThread = options.fsync() == SpoolOptions.Fsync.INTERVAL
                ? Thread.ofPlatform().name("vigil-spool-fsync").daemon().unstarted(this::fsyncLoop) : null;
    }

    /** Opens the spool in {@code dir} (created if absent), cutting a torn tail off the last segment. */
    public static Spool open(Path dir, SpoolOptions options) throws IOException {
        Files.createDirectories(dir);
        Spool s = new Spool(dir, options);
        s.load();
        if (s.fsyncThread != null) s.fsyncThread.start();
        return s;
    }

    private void load() throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                try {
                    found.put(Long.parseLong(n.substring(0, n.length() - SUFFIX.length())), p);
                } catch (NumberFormatException e) {
                    LOG.log(System.Logger.Level.WARNING, "spool: ignoring a file not named <offset>" + SUFFIX + ": " + p);
                }
            }
        }
        ackedOffset = readAcked();
        for (var e : found.entrySet()) {
            Path p = e.getValue();
            long size = Files.size(p);
            if (!validHeader(p, e.getKey(), size)) {
                // A segment whose header is unreadable cannot be read at all: count it and remove it.
                corruptRecords++;
                LOG.log(System.Logger.Level.WARNING, "spool: segment with a bad header removed: " + p);
                Files.deleteIfExists(p);
                continue;
            }
            segments.addLast(new Segment(e.getKey(), p, size));
        }
        if (segments.isEmpty()) {
            long base = Math.max(ackedOffset, 0);
            newSegment(base);
        } else {
            Segment last = segments.getLast();
            long good = validEnd(last);
            if (good < last.size) {
                tornBytes += last.size - good;
                LOG.log(System.Logger.Level.WARNING, "spool: cut a torn tail of " + (last.size - good) + " bytes off " + last.path);
                try (FileChannel ch = FileChannel.open(last.path, StandardOpenOption.WRITE)) {
                    ch.truncate(good);
                    ch.force(true);
                }
                last.size = good;
            }
            active = FileChannel.open(last.path, StandardOpenOption.WRITE);
            active.position(last.size);
        }
        for (Segment s : segments) totalBytes += s.size;
        // Segments wholly below the acked offset were acknowledged before a crash prevented their deletion.
        deleteAcked();
    }

    private static boolean validHeader(Path p, long base, long size) throws IOException {
        if (size < SpoolRecord.HEADER_SIZE) return false;
        ByteBuffer h = ByteBuffer.allocate(SpoolRecord.HEADER_SIZE);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            readFully(ch, h, 0);
        }
        h.flip();
        return h.getInt(0) == SpoolRecord.MAGIC && h.get(4) == SpoolRecord.FORMAT_VERSION && h.getLong(8) == base;
    }

    /**
     * The end of the last whole, valid record when nothing valid follows it (a torn or garbled tail), else the
     * file size: a bad record followed by good ones is mid-file corruption, which the reader skips.
     */
    private long validEnd(Segment s) throws IOException {
        ByteBuffer buf = readAll(s.path, s.size);
        int pos = SpoolRecord.HEADER_SIZE;
        while (pos < s.size) {
            int len = recordAt(buf, pos, (int) s.size);
            if (len < 0) {
                return nextValid(buf, pos + 1, (int) s.size) < 0 ? pos : s.size;
            }
            pos += SpoolRecord.OVERHEAD + len;
        }
        return pos;
    }

    /** Payload length of a valid record at {@code pos}, or -1 when the record there is torn or corrupt. */
    private static int recordAt(ByteBuffer buf, int pos, int limit) {
        if (pos + SpoolRecord.OVERHEAD > limit) return -1;
        int len = buf.getInt(pos + SpoolRecord.LENGTH_OFFSET);
        if (len < 0 || len > SpoolRecord.MAX_PAYLOAD || pos + SpoolRecord.OVERHEAD + (long) len > limit) return -1;
        if (buf.get(pos + SpoolRecord.VERSION_OFFSET) != SpoolRecord.VERSION) return -1;
        if (SpoolRecord.crcOf(buf, pos, len) != buf.getInt(pos + SpoolRecord.CRC_OFFSET)) return -1;
        return len;
    }

    /** The position of the next valid record at or after {@code from}, or -1. */
    private static int nextValid(ByteBuffer buf, int from, int limit) {
        for (int p = from; p + SpoolRecord.OVERHEAD <= limit; p++) {
            if (buf.get(p + SpoolRecord.VERSION_OFFSET) == SpoolRecord.VERSION && recordAt(buf, p, limit) >= 0) return p;
        }
        return -1;
    }

    private static ByteBuffer readAll(Path p, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            readFully(ch, buf, 0);
        }
        return buf;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException("unexpected end of " + ch);
            pos += n;
        }
    }

    private void newSegment(long base) throws IOException {
        Path p = dir.resolve(String.format("%020d%s", base, SUFFIX));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer h = ByteBuffer.allocate(SpoolRecord.HEADER_SIZE);
        h.putInt(SpoolRecord.MAGIC).put(SpoolRecord.FORMAT_VERSION).put((byte) 0).put((byte) 0).put((byte) 0).putLong(base);
        h.flip();
        while (h.hasRemaining()) ch.write(h);
        if (options.fsync() != SpoolOptions.Fsync.NEVER) {
            ch.force(true);
            forceDir();
        }
        if (active != null) {
            if (options.fsync() != SpoolOptions.Fsync.NEVER) active.force(false);
            active.close();
        }
        active = ch;
        segments.addLast(new Segment(base, p, SpoolRecord.HEADER_SIZE));
        totalBytes += SpoolRecord.HEADER_SIZE;
    }

    private void forceDir() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every file system lets a directory be opened for fsync
        }
    }

    /**
     * Appends one record. Returns its offset, or -1 when it was dropped (counted): too large, spool closed, or an
     * I/O error. May delete the oldest segment to stay under the size bound (its unacknowledged records are
     * counted as dropped). Never throws, never waits on anything but the local disk.
     */
    public long append(byte type, byte[] payload) {
        lock.lock();
        try {
            if (closed) {
                dropped++;
                return -1;
            }
            if (payload.length > SpoolRecord.MAX_PAYLOAD) {
                tooLarge++;
                dropped++;
                return -1;
            }
            int recSize = SpoolRecord.OVERHEAD + payload.length;
            try {
                Segment cur = segments.getLast();
                if (cur.size + recSize > options.segmentBytes() && cur.size > SpoolRecord.HEADER_SIZE) {
                    newSegment(cur.end());
                    cur = segments.getLast();
                }
                while (totalBytes + recSize > options.maxBytes() && segments.size() > 1) dropOldest();
                if (writeBuf.capacity() < recSize) writeBuf = ByteBuffer.allocate(Math.max(recSize, writeBuf.capacity() * 2));
                writeBuf.clear();
                SpoolRecord.write(writeBuf, type, payload);
                writeBuf.flip();
                long at = cur.size;
                try {
                    while (writeBuf.hasRemaining()) active.write(writeBuf, at + writeBuf.position());
                } catch (IOException e) {
                    active.truncate(at);
                    throw e;
                }
                if (options.fsync() == SpoolOptions.Fsync.ALWAYS) active.force(false);
                else dirty = true;
                long offset = cur.base + at;
                cur.size += recSize;
                totalBytes += recSize;
                appended++;
                appendedCond.signalAll();
                return offset;
            } catch (IOException e) {
                if (writeErrors++ == 0 || Long.bitCount(writeErrors) == 1)
                    LOG.log(System.Logger.Level.ERROR, "spool: cannot append in " + dir + " (" + writeErrors
                            + " failures so far): " + e.getMessage());
                dropped++;
                return -1;
            }
        } finally {
            lock.unlock();
        }
    }

    private void dropOldest() throws IOException {
        Segment s = segments.removeFirst();
        long lost = 0;
        if (s.end() > ackedOffset) {
            ByteBuffer buf = readAll(s.path, s.size);
            int pos = (int) Math.max(SpoolRecord.HEADER_SIZE, ackedOffset - s.base);
            while (pos < s.size) {
                int len = recordAt(buf, pos, (int) s.size);
                if (len < 0) {
                    int nv = nextValid(buf, pos + 1, (int) s.size);
                    if (nv < 0) break;
                    pos = nv;
                    continue;
                }
                lost++;
                pos += SpoolRecord.OVERHEAD + len;
            }
        }
        dropped += lost;
        droppedSegments++;
        totalBytes -= s.size;
        Files.deleteIfExists(s.path);
        LOG.log(System.Logger.Level.WARNING, "spool: full (" + options.maxBytes() + " bytes), deleted the oldest segment "
                + s.path.getFileName() + " with " + lost + " unshipped records");
    }

    /**
     * Reads up to {@code maxRecords} records (and about {@code maxBytes} of payload, at least one record) from
     * {@code from}. Corrupt records are skipped and counted. Offsets below the oldest segment (dropped) are
     * skipped to it.
     */
    public List<Entry> read(long from, int maxRecords, int maxBytes) throws IOException {
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        long pos = from;
        while (out.size() < maxRecords && bytes < maxBytes) {
            long base, size;
            Path path;
            boolean last;
            lock.lock();
            try {
                Segment seg = null;
                for (Segment s : segments) {
                    if (pos < s.end() || s == segments.getLast()) {
                        seg = s;
                        break;
                    }
                }
                if (seg == null) return out;
                if (pos < seg.base + SpoolRecord.HEADER_SIZE) pos = seg.base + SpoolRecord.HEADER_SIZE;
                base = seg.base;
                size = seg.size;
                path = seg.path;
                last = seg == segments.getLast();
            } finally {
                lock.unlock();
            }
            if (pos >= base + size) {
                if (last) return out;
                pos = base + size; // next segment starts here
                continue;
            }
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                ByteBuffer head = ByteBuffer.allocate(SpoolRecord.OVERHEAD);
                while (pos < base + size && out.size() < maxRecords && bytes < maxBytes) {
                    int at = (int) (pos - base);
                    head.clear();
                    readFully(ch, head, at);
                    int len = head.getInt(SpoolRecord.LENGTH_OFFSET);
                    boolean ok = len >= 0 && len <= SpoolRecord.MAX_PAYLOAD && at + SpoolRecord.OVERHEAD + (long) len <= size
                            && head.get(SpoolRecord.VERSION_OFFSET) == SpoolRecord.VERSION;
                    ByteBuffer rec = null;
                    if (ok) {
                        rec = ByteBuffer.allocate(SpoolRecord.OVERHEAD + len);
                        readFully(ch, rec, at);
                        ok = SpoolRecord.crcOf(rec, 0, len) == rec.getInt(SpoolRecord.CRC_OFFSET);
                    }
                    if (!ok) {
                        countCorrupt();
                        ByteBuffer all = readAll(path, size);
                        int nv = nextValid(all, at + 1, (int) size);
                        pos = nv < 0 ? base + size : base + nv;
                        continue;
                    }
                    byte[] payload = new byte[len];
                    rec.get(SpoolRecord.PAYLOAD_OFFSET, payload);
                    long next = pos + SpoolRecord.OVERHEAD + len;
                    out.add(new Entry(pos, rec.get(SpoolRecord.TYPE_OFFSET), payload, next));
                    bytes += len;
                    pos = next;
                }
            } catch (NoSuchFileException gone) {
                // dropped by a concurrent append to stay under the size bound: continue at the next segment
                pos = base + size;
            }
            if (pos >= base + size && last) return out;
        }
        return out;
    }

    private void countCorrupt() {
        lock.lock();
        try {
            corruptRecords++;
        } finally {
            lock.unlock();
        }
    }

    /** How many records were appended since open; pair with {@link #awaitAppend}. */
    public long appendCount() {
        lock.lock();
        try {
            return appended;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the append count differs from {@code seen}, the spool closes, or the timeout passes. */
    public void awaitAppend(long seen, long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (!closed && appended == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                appendedCond.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes any thread in {@link #awaitAppend}. */
    public void wakeUp() {
        lock.lock();
        try {
            appendedCond.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private long endOffset() {
        return segments.getLast().end();
    }

    /** Records everything below {@code offset} as acknowledged (persisted) and deletes segments wholly below it. */
    public void ack(long offset) throws IOException {
        lock.lock();
        try {
            if (offset <= ackedOffset) return;
            ackedOffset = offset;
            writeAcked(offset);
            deleteAcked();
        } finally {
            lock.unlock();
        }
    }

    /** The persisted acknowledged offset: where a restarted reader resumes. */
    public long ackedOffset() {
        lock.lock();
        try {
            return ackedOffset;
        } finally {
            lock.unlock();
        }
    }

    private void deleteAcked() throws IOException {
        while (segments.size() > 1 && segments.getFirst().end() <= ackedOffset) {
            Segment s = segments.removeFirst();
            totalBytes -= s.size;
            Files.deleteIfExists(s.path);
        }
    }

    private long readAcked() throws IOException {
        Path p = dir.resolve(ACKED);
        if (!Files.exists(p)) return 0;
        byte[] b = Files.readAllBytes(p);
        if (b.length != 12) {
            LOG.log(System.Logger.Level.WARNING, "spool: " + p + " is damaged; shipping resumes from the oldest segment");
            return 0;
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        long off = buf.getLong(0);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, 8);
        if ((int) crc.getValue() != buf.getInt(8)) {
            LOG.log(System.Logger.Level.WARNING, "spool: " + p + " fails its CRC; shipping resumes from the oldest segment");
            return 0;
        }
        return off;
    }

    private void writeAcked(long offset) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(12);
        buf.putLong(offset);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, 8);
        buf.putInt((int) crc.getValue());
        buf.flip();
        Path tmp = dir.resolve(ACKED + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) ch.write(buf);
            if (options.fsync() != SpoolOptions.Fsync.NEVER) ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(ACKED), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(ACKED), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A consistent snapshot of the counters. */
    public SpoolStats stats() {
        lock.lock();
        try {
            return new SpoolStats(appended, dropped, droppedSegments, corruptRecords, tornBytes, writeErrors, tooLarge,
                    totalBytes, segments.size(), endOffset(), Math.max(ackedOffset, segments.getFirst().base));
        } finally {
            lock.unlock();
        }
    }

    /** True when every record was acknowledged. */
    public boolean drained() {
        lock.lock();
        try {
            Segment last = segments.getLast();
            return ackedOffset >= last.end() || (segments.size() == 1 && last.size == SpoolRecord.HEADER_SIZE);
        } finally {
            lock.unlock();
        }
    }

    private void fsyncLoop() {
        while (true) {
            try {
                Thread.sleep(options.fsyncIntervalMs());
            } catch (InterruptedException e) {
                return;
            }
            FileChannel ch;
            lock.lock();
            try {
                if (closed) return;
                if (!dirty) continue;
                dirty = false;
                ch = active;
            } finally {
                lock.unlock();
            }
            try {
                ch.force(false);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "spool: fsync failed: " + e.getMessage());
            }
        }
    }

    /** Forces the active segment to disk and closes; later appends are dropped (counted). */
    @Override public void close() throws IOException {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            appendedCond.signalAll();
            if (options.fsync() != SpoolOptions.Fsync.NEVER) active.force(false);
            active.close();
        } finally {
            lock.unlock();
        }
        if (fsyncThread != null) fsyncThread.interrupt();
    }
}
