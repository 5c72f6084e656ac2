package dev.vigil.event;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SockKindTest {
    /** A kind that reads stream/tcp, counting its reads. */
    private static SockKind counting(AtomicInteger reads) {
        return SockKind.lazy(() -> {
            reads.incrementAndGet();
            return new String[] {"stream", "tcp"};
        });
    }

    @Test
    void a_lazy_kind_is_read_once_on_first_use() {
        AtomicInteger reads = new AtomicInteger();
        SockKind k = counting(reads);
        assertThat(reads).hasValue(0);
        assertThat(k).isNotEqualTo(SockKind.of("stream", "tcp")).hasToString("unread"); // equality never reads
        assertThat(reads).hasValue(0);
        assertThat(k.protocol()).isEqualTo("tcp");
        assertThat(k.type()).isEqualTo("stream");
        k.seal();
        assertThat(k.protocol()).isEqualTo("tcp");
        assertThat(reads).hasValue(1);
    }

    @Test
    void a_kind_nobody_read_before_the_seal_stays_unknown_and_is_never_read() {
        AtomicInteger reads = new AtomicInteger();
        SockKind k = counting(reads);
        k.seal();
        assertThat(k.type()).isEqualTo("unknown");
        assertThat(k.protocol()).isEmpty();
        assertThat(reads).hasValue(0);
    }

    @Test
    void a_reader_that_fails_leaves_unknown_values() {
        SockKind k = SockKind.lazy(() -> null);
        assertThat(k.type()).isEqualTo("unknown");
        assertThat(k.protocol()).isEmpty();
        assertThat(SockKind.of("dgram", "udp")).isEqualTo(SockKind.of("dgram", "udp"));
    }

    @Test
    void net_events_keep_their_string_accessors() {
        NetOp n = new NetOp(null, null, "connect", NetOp.Op.CONNECT, 3, "inet", "stream", "tcp", null,
                new SockAddr("inet", "10.0.0.1", 443), null, Event.RES_UNKNOWN);
        assertThat(n.sockType()).isEqualTo("stream");
        assertThat(n.protocol()).isEqualTo("tcp");
        assertThat(n.sock()).isEqualTo(SockKind.of("stream", "tcp"));
    }
}
