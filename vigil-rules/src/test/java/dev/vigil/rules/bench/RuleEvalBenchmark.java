package dev.vigil.rules.bench;

import dev.vigil.event.Event;
import dev.vigil.rules.engine.MatchSink;
import dev.vigil.rules.engine.RuleEngine;
import dev.vigil.rules.engine.RuleOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Evaluation throughput with Falco's three stock rules files loaded, on {@link EventMix}, one thread; and the
 * time to load and compile the three files. Run: {@code java -cp <test classpath> dev.vigil.rules.bench.RuleEvalBenchmark
 * [jmh args]}, e.g. {@code -prof gc}. The stock files are read from {@code -Dvigil.shared.dir} (default ../../shared).
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RuleEvalBenchmark {
    static final int EVENTS = 8192;

    private RuleEngine engine;
    private Event[] events;
    private List<Path> files;

    static List<Path> stockFiles() {
        Path d = Path.of(System.getProperty("vigil.shared.dir", "../../shared"), "falco-rules");
        return List.of(d.resolve("falco_rules.yaml"), d.resolve("falco-incubating_rules.yaml"), d.resolve("falco-sandbox_rules.yaml"));
    }

    @Setup(Level.Trial)
    public void setup() {
        files = stockFiles();
        engine = RuleEngine.load(files, RuleOptions.defaults());
        if (engine.hasErrors()) throw new IllegalStateException(engine.errors().toString());
        events = EventMix.build(EVENTS, 42);
    }

    /** Events per second through {@link RuleEngine#evaluate}, all enabled stock rules, first match. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(EVENTS)
    public int evaluate(Blackhole bh) {
        int matches = 0;
        MatchSink sink = (r, c) -> bh.consume(r);
        for (Event e : events) matches += engine.evaluate(e, sink);
        return matches;
    }

    /** Loading, compiling and indexing the three stock files. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 3, time = 2)
    public RuleEngine load() {
        return RuleEngine.load(files, RuleOptions.defaults());
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        new Runner(new OptionsBuilder().include(RuleEvalBenchmark.class.getName())
                .jvmArgsAppend("-Dvigil.shared.dir=" + System.getProperty("vigil.shared.dir", "../../shared")).build()).run();
    }
}
