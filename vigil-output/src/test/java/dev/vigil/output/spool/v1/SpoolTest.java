package dev.vigil.output.spool.v1;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SpoolTest {
    @TempDir Path dir;
    final long seed = Long.getLong("vigil.seed", new Random().nextLong());
    final Random random = new Random(seed);
    final SpoolOptions small = new SpoolOptions(1 << 20, 16 << 10, SpoolOptions.Fsync.NEVER, 0);

    private List<String> payloads(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("{\"seq\":" + i + ",\"pad\":\"");
            int len = random.nextInt(300);
            for (int j = 0; j < len; j++) sb.append((char) ('a' + random.nextInt(26)));
            out.add(sb.append("\"}").toString());
        }
        return out;
    }

    private static List<String> readAll(Spool s, long from) throws IOException {
        List<String> out = new ArrayList<>();
        long pos = from;
        while (true) {
            List<Spool.Entry> b = s.read(pos, 97, 8192);
            if (b.isEmpty()) return out;
            for (Spool.Entry e : b) out.add(new String(e.payload(), StandardCharsets.UTF_8));
            pos = b.getLast().next();
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(Spool.SUFFIX)).sorted().toList();
        }
    }

    @Test void every_appended_record_is_read_back_in_order_across_segments_and_reopen() throws Exception {
        List<String> in = payloads(500);
        try (Spool s = Spool.open(dir, small)) {
            for (String p : in) assertThat(s.append(SpoolRecord.TYPE_EVENT, p.getBytes(StandardCharsets.UTF_8))).isNotNegative();
            assertThat(readAll(s, 0)).as("seed %d", seed).containsExactlyElementsOf(in);
        }
        assertThat(segments().size()).isGreaterThan(3);
        try (Spool s = Spool.open(dir, small)) {
            assertThat(readAll(s, s.ackedOffset())).as("seed %d", seed).containsExactlyElementsOf(in);
            assertThat(s.stats().appended()).isZero();
            assertThat(s.stats().corruptRecords()).isZero();
        }
    }

    @Test void acked_offset_persists_and_acked_segments_are_deleted() throws Exception {
        List<String> in = payloads(400);
        long mid;
        try (Spool s = Spool.open(dir, small)) {
            for (String p : in) s.append(SpoolRecord.TYPE_EVENT, p.getBytes(StandardCharsets.UTF_8));
            List<Spool.Entry> first = s.read(0, 300, Integer.MAX_VALUE);
            mid = first.getLast().next();
            int before = segments().size();
            s.ack(mid);
            assertThat(segments().size()).isLessThan(before);
        }
        try (Spool s = Spool.open(dir, small)) {
            assertThat(s.ackedOffset()).isEqualTo(mid);
            assertThat(readAll(s, s.ackedOffset())).as("seed %d", seed).containsExactlyElementsOf(in.subList(300, 400));
            s.ack(s.stats().endOffset());
            assertThat(s.drained()).isTrue();
        }
    }

    @Test void a_torn_tail_is_cut_and_counted_and_appends_continue() throws Exception {
        List<String> in = payloads(50);
        try (Spool s = Spool.open(dir, small)) {
            for (String p : in) s.append(SpoolRecord.TYPE_EVENT, p.getBytes(StandardCharsets.UTF_8));
        }
        Path last = segments().getLast();
        long size = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(size - 1 - random.nextInt(5));
        }
        try (Spool s = Spool.open(dir, small)) {
            assertThat(s.stats().tornBytes()).isPositive();
            s.append(SpoolRecord.TYPE_EVENT, "after".getBytes(StandardCharsets.UTF_8));
            List<String> back = readAll(s, 0);
            List<String> expected = new ArrayList<>(in.subList(0, 49));
            expected.add("after");
            assertThat(back).as("seed %d", seed).containsExactlyElementsOf(expected);
        }
    }

    @Test void a_corrupt_record_is_skipped_and_counted_and_the_rest_is_kept() throws Exception {
        List<String> in = payloads(30);
        try (Spool s = Spool.open(dir, small.withMaxBytes(4 << 20).withSegmentBytes(1 << 20))) {
            for (String p : in) s.append(SpoolRecord.TYPE_EVENT, p.getBytes(StandardCharsets.UTF_8));
            // flip one payload byte of record 10 on disk
            long off = s.read(0, 11, Integer.MAX_VALUE).get(10).offset();
            try (FileChannel ch = FileChannel.open(segments().getFirst(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(1);
                ch.read(b, off + SpoolRecord.PAYLOAD_OFFSET + 3);
                b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
                ch.write(b, off + SpoolRecord.PAYLOAD_OFFSET + 3);
            }
            List<String> expected = new ArrayList<>(in);
            expected.remove(10);
            assertThat(readAll(s, 0)).as("seed %d", seed).containsExactlyElementsOf(expected);
            assertThat(s.stats().corruptRecords()).isEqualTo(1);
        }
        // at open the corruption is mid-file (good records follow), so nothing is cut
        try (Spool s = Spool.open(dir, small.withMaxBytes(4 << 20).withSegmentBytes(1 << 20))) {
            assertThat(s.stats().tornBytes()).isZero();
            assertThat(readAll(s, 0)).hasSize(29);
        }
    }

    @Test void a_full_spool_drops_the_oldest_segment_and_counts_every_lost_record() throws Exception {
        SpoolOptions tiny = new SpoolOptions(64 << 10, 16 << 10, SpoolOptions.Fsync.ALWAYS, 0);
        List<String> in = payloads(2000);
        try (Spool s = Spool.open(dir, tiny)) {
            for (String p : in) s.append(SpoolRecord.TYPE_EVENT, p.getBytes(StandardCharsets.UTF_8));
            List<String> kept = readAll(s, 0);
            SpoolStats st = s.stats();
            assertThat(st.bytes()).isLessThanOrEqualTo(64 << 10);
            assertThat(st.dropped()).as("seed %d", seed).isEqualTo(in.size() - kept.size()).isPositive();
            assertThat(st.droppedSegments()).isPositive();
            assertThat(kept).containsExactlyElementsOf(in.subList(in.size() - kept.size(), in.size()));
        }
    }

    @Test void a_segment_with_a_bad_header_is_removed_and_counted() throws Exception {
        try (Spool s = Spool.open(dir, small)) {
            for (String p : payloads(200)) s.append(SpoolRecord.TYPE_EVENT, p.getBytes(StandardCharsets.UTF_8));
        }
        Path first = segments().getFirst();
        Files.write(first, new byte[] {0, 0, 0, 0}, StandardOpenOption.WRITE);
        try (Spool s = Spool.open(dir, small)) {
            assertThat(s.stats().corruptRecords()).isEqualTo(1);
            assertThat(readAll(s, 0)).isNotEmpty();
        }
    }

    @Test void oversized_payloads_are_refused_and_counted() throws Exception {
        try (Spool s = Spool.open(dir, new SpoolOptions(64 << 20, 8 << 20, SpoolOptions.Fsync.NEVER, 0))) {
            assertThat(s.append(SpoolRecord.TYPE_EVENT, new byte[SpoolRecord.MAX_PAYLOAD + 1])).isEqualTo(-1);
            assertThat(s.stats().tooLarge()).isEqualTo(1);
            assertThat(s.stats().dropped()).isEqualTo(1);
        }
    }
}
