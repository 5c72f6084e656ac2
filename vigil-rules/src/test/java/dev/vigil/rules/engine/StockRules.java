package dev.vigil.rules.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates Falco's stock rules files in the shared directory (never copied into the repository). */
public final class StockRules {
    private StockRules() {}

    public static Path dir() {
        String shared = System.getProperty("vigil.shared.dir");
        Path d = shared != null ? Path.of(shared, "falco-rules") : Path.of("../../shared/falco-rules");
        assumeTrue(Files.isDirectory(d), "stock Falco rules not found at " + d + " (set -Dvigil.shared.dir)");
        return d;
    }

    public static Path falco() { return dir().resolve("falco_rules.yaml"); }

    public static Path incubating() { return dir().resolve("falco-incubating_rules.yaml"); }

    public static Path sandbox() { return dir().resolve("falco-sandbox_rules.yaml"); }
}
