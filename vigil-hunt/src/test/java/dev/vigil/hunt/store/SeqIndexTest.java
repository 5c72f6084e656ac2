package dev.vigil.hunt.store;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SeqIndexTest {
    @Test void intervals_merge_and_answer_like_a_set() {
        long seed = Long.getLong("vigil.seed", new Random().nextLong());
        Random r = new Random(seed);
        SeqIndex idx = new SeqIndex();
        BitSet truth = new BitSet();
        for (int i = 0; i < 5000; i++) {
            int v = r.nextInt(3000);
            if (r.nextInt(10) == 0) {
                idx.remove("s", v);
                truth.clear(v);
            } else {
                int to = v + r.nextInt(3);
                idx.add("s", v, to);
                truth.set(v, to + 1);
            }
        }
        for (int v = 0; v < 3010; v++) assertThat(idx.contains("s", v)).as("seed %d value %d", seed, v).isEqualTo(truth.get(v));
        for (int i = 0; i < 2000; i++) {
            int from = r.nextInt(3010), to = from + r.nextInt(20);
            int set = truth.nextSetBit(from);
            assertThat(idx.intersects("s", from, to)).as("seed %d [%d, %d]", seed, from, to).isEqualTo(set >= 0 && set <= to);
        }
        assertThat(idx.contains("other", 5)).isFalse();
    }

    @Test void a_contiguous_stream_is_one_interval() {
        SeqIndex idx = new SeqIndex();
        for (long i = 1000; i >= 0; i--) idx.add("s", i);
        assertThat(idx.intervals()).isEqualTo(1);
    }
}
