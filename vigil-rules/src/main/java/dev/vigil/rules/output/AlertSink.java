package dev.vigil.rules.output;

import dev.vigil.rules.engine.MatchSink;
import dev.vigil.rules.engine.Priority;
import java.util.List;

/** Where alerts go. Implementations are thread-safe and never throw on delivery failure: they count it. */
public interface AlertSink extends AutoCloseable {
    void send(Alert alert);

    /** Deliveries that failed or were dropped. */
    default long failures() { return 0; }

    @Override default void close() {}

    /** A sink that passes on only alerts at least as severe as {@code min}. */
    static AlertSink minPriority(Priority min, AlertSink next) {
        return new AlertSink() {
            @Override public void send(Alert a) { if (a.priority().atLeast(min)) next.send(a); }
            @Override public long failures() { return next.failures(); }
            @Override public void close() { next.close(); }
        };
    }

    /** A {@link MatchSink} that formats each match once and sends it to every sink. */
    static MatchSink toMatchSink(List<AlertSink> sinks) {
        List<AlertSink> all = List.copyOf(sinks);
        return (rule, ctx) -> {
            Alert a = AlertFormatter.alert(rule, ctx);
            for (AlertSink s : all) s.send(a);
        };
    }
}
