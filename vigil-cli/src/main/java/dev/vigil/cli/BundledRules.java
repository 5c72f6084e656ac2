package dev.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Vigil's own rules file, shipped inside the jar: the rules used when none are given. */
final class BundledRules {
    static final String NAME = "vigil_rules.yaml";

    private BundledRules() {}

    static String text() {
        try (InputStream in = BundledRules.class.getResourceAsStream("rules/" + NAME)) {
            if (in == null) throw new IllegalStateException("the jar has no bundled " + NAME + "; rebuild it");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
