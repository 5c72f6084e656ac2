package dev.vigil.hunt.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The store's write-ahead journal: every accepted batch of event lines is appended here and forced to disk
 * before the ingest request is answered, so the store can commit to DuckDB in large transactions (DuckDB
 * writes a transaction of a row group or more straight to its file; 1000-row transactions cost it ~4 times
 * more per row) without losing an acknowledged event when the server dies in between.
 *
 * <p>Segments {@code <n>.seg} in a directory; each record is a header (magic, payload length, CRC-32C of the
 * payload, all little-endian ints) and the payload: NDJSON event lines. A segment is deleted once every
 * record in it is committed to the database. At open, the records left over are replayed; a torn or
 * corrupt record ends the reading of its segment (counted and reported, never a failure to start).
 */
final class IngestJournal {
    static final int MAGIC = 0x314A5256; // "VRJ1" little-endian
    static final int HEADER = 12;

    /** A place in the journal: the segment number and the offset just past a record. */
    record Position(long segment, long offset) implements Comparable<Position> {
        static final Position START = new Position(0, 0);

        @Override public int compareTo(Position o) {
            int c = Long.compare(segment, o.segment);
            return c != 0 ? c : Long.compare(offset, o.offset);
        }
    }

    /** One record read back: its payload and the position just past it. */
    record Entry(byte[] payload, Position end) {}

    /** Takes the records read back, one at a time. */
    interface EntrySink {
        void accept(Entry e) throws java.sql.SQLException;
    }

    /** What reading the journal found besides good records. */
    record Damage(Path segment, long offset, String reason) {}

    private final Path dir;
    private final long segmentBytes;
    private FileChannel channel;
    private long segment;
    private long written;
    /** Everything up to here is on disk (guarded by {@code syncLock}). */
    private volatile Position synced = Position.START;
    private final Object syncLock = new Object();
    private final ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);

    private IngestJournal(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    /** Opens the journal in {@code dir} (created when absent); new records go to a segment after the existing ones. */
    static IngestJournal open(Path dir, long segmentBytes) throws IOException {
        Files.createDirectories(dir);
        IngestJournal j = new IngestJournal(dir, segmentBytes);
        List<Long> existing = j.segments();
        j.startSegment(existing.isEmpty() ? 1 : existing.getLast() + 1);
        return j;
    }

    /** The journal's directory. */
    Path dir() {
        return dir;
    }

    /** Segment numbers on disk, oldest first. */
    List<Long> segments() throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".seg")) continue;
                try {
                    out.add(Long.parseLong(name.substring(0, name.length() - 4)));
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        }
        out.sort(null);
        return out;
    }

    private Path file(long n) {
        return dir.resolve(String.format("%020d.seg", n));
    }

    private void startSegment(long n) throws IOException {
        if (channel != null) {
            channel.force(false);
            channel.close();
        }
        channel = FileChannel.open(file(n), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segment = n;
        written = 0;
    }

    /**
     * Appends one record (not yet forced to disk: see {@link #sync}); callers serialise appends. Returns the
     * position just past it.
     */
    synchronized Position append(byte[] payload, int length) throws IOException {
        if (written >= segmentBytes) startSegment(segment + 1);
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, length);
        header.clear();
        header.putInt(MAGIC).putInt(length).putInt((int) crc.getValue()).flip();
        ByteBuffer body = ByteBuffer.wrap(payload, 0, length);
        ByteBuffer[] both = {header, body};
        try {
            while (header.hasRemaining() || body.hasRemaining()) channel.write(both);
        } catch (IOException e) {
            // Cut the partial record off, or, when that fails too, leave it behind in a segment of its own.
            try {
                channel.truncate(written);
                channel.position(written);
            } catch (IOException cut) {
                e.addSuppressed(cut);
                try {
                    startSegment(segment + 1);
                } catch (IOException roll) {
                    e.addSuppressed(roll);
                }
            }
            throw e;
        }
        written += HEADER + length;
        return new Position(segment, written);
    }

    /**
     * Forces everything appended up to {@code upTo} to disk. Concurrent callers share one force: whoever
     * forces covers every record appended before it.
     */
    void sync(Position upTo) throws IOException {
        if (synced.compareTo(upTo) >= 0) return;
        synchronized (syncLock) {
            if (synced.compareTo(upTo) >= 0) return;
            Position target;
            FileChannel c;
            synchronized (this) {
                target = new Position(segment, written);
                c = channel;
            }
            try {
                c.force(false);
            } catch (java.nio.channels.ClosedChannelException rolled) {
                // the segment was rolled meanwhile, and forced before it was closed
            }
            synced = target;
        }
    }

    /** Deletes the segments whose records all lie before {@code committed}; the open segment stays. */
    synchronized void release(Position committed) throws IOException {
        for (long n : segments()) {
            if (n >= segment) break;
            if (n < committed.segment() || (n == committed.segment() && isWhole(n, committed.offset())))
                Files.deleteIfExists(file(n));
        }
    }

    private boolean isWhole(long n, long offset) throws IOException {
        return Files.size(file(n)) <= offset;
    }

    /**
     * Reads the records after {@code from}, oldest first, the segment being written included (callers stop
     * appends meanwhile). A record that is torn or fails its checksum ends its segment; each such place is
     * added to {@code damage}.
     */
    synchronized void readFrom(Position from, List<Damage> damage, EntrySink out) throws IOException, java.sql.SQLException {
        for (long n : segments()) {
            if (n > segment || n < from.segment()) continue;
            readSegment(n, n == from.segment() ? from.offset() : 0, n == segment ? written : Long.MAX_VALUE, out, damage);
        }
    }

    private void readSegment(long n, long start, long limit, EntrySink out, List<Damage> damage)
            throws IOException, java.sql.SQLException {
        Path p = file(n);
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = Math.min(c.size(), limit);
            long at = start;
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            while (at < size) {
                if (size - at < HEADER) {
                    damage.add(new Damage(p, at, "torn record header (" + (size - at) + " bytes)"));
                    return;
                }
                h.clear();
                readFully(c, h, at);
                h.flip();
                int magic = h.getInt(), len = h.getInt(), sum = h.getInt();
                if (magic != MAGIC || len < 0) {
                    damage.add(new Damage(p, at, "not a record header"));
                    return;
                }
                if (size - at - HEADER < len) {
                    damage.add(new Damage(p, at, "torn record (" + len + " bytes announced, " + (size - at - HEADER) + " present)"));
                    return;
                }
                ByteBuffer body = ByteBuffer.allocate(len);
                readFully(c, body, at + HEADER);
                CRC32C crc = new CRC32C();
                crc.update(body.array(), 0, len);
                if ((int) crc.getValue() != sum) {
                    damage.add(new Damage(p, at, "checksum mismatch"));
                    return;
                }
                at += HEADER + len;
                out.accept(new Entry(body.array(), new Position(n, at)));
            }
        }
    }

    private static void readFully(FileChannel c, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int r = c.read(b, at + b.position());
            if (r < 0) throw new IOException("unexpected end of journal segment");
        }
    }

    /**
     * Closes the open segment. With {@code allCommitted}, every segment is deleted (the database holds it
     * all); otherwise only an empty open segment is.
     */
    synchronized void close(boolean allCommitted) throws IOException {
        if (channel == null) return;
        channel.force(false);
        channel.close();
        channel = null;
        if (allCommitted) {
            for (long n : segments()) Files.deleteIfExists(file(n));
        } else if (written == 0) {
            Files.deleteIfExists(file(segment));
        }
    }
}
