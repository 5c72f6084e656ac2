package dev.vigil.cli;

import dev.vigil.rules.engine.CompiledRule;
import dev.vigil.rules.engine.RuleEngine;
import dev.vigil.rules.engine.RuleOptions;
import dev.vigil.rules.fields.FieldCatalog;
import dev.vigil.rules.fields.FieldDef;
import dev.vigil.rules.fields.FieldFamily;
import dev.vigil.rules.load.LoadProblem;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil rules}: validate rules files, list the rules they define, list the fields conditions may use.
 * Depends only on picocli and vigil-rules.
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Validate and inspect Falco-syntax rules files.",
        subcommands = {RulesCommand.Check.class, RulesCommand.ListRules.class, RulesCommand.Fields.class})
public final class RulesCommand implements Callable<Integer> {
    /** Exit code when a rules file has errors. */
    public static final int EXIT_RULE_ERRORS = 1;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    private static List<Path> existing(List<Path> files, PrintWriter err) {
        List<Path> missing = new ArrayList<>();
        for (Path p : files) if (!Files.isReadable(p)) missing.add(p);
        for (Path p : missing) err.println(p + ": error: cannot read rules file");
        return missing;
    }

    /** {@code vigil rules check FILE...}: loads the files in order and reports every problem. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Load rules files in order (later files amend earlier ones) and report every problem as"
                    + " file:line:col, item and message. Exits 1 when there is an error.")
    static final class Check implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Rules files, in load order.")
        List<Path> files;

        @Option(names = {"-w", "--no-warnings"}, description = "Print errors only.")
        boolean noWarnings;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!existing(files, err).isEmpty()) return EXIT_RULE_ERRORS;
            long t0 = System.nanoTime();
            RuleEngine engine = RuleEngine.load(files, RuleOptions.defaults());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            int errors = 0;
            int warnings = 0;
            for (LoadProblem p : engine.problems()) {
                if (p.isError()) errors++; else warnings++;
                if (p.isError() || !noWarnings) (p.isError() ? err : out).println(p.format());
            }
            long enabled = engine.rules().stream().filter(CompiledRule::enabled).count();
            out.printf("%d rules loaded (%d enabled) from %d file(s) in %d ms: %d error(s), %d warning(s)%n",
                    engine.rules().size(), enabled, files.size(), ms, errors, warnings);
            out.println("syscalls: " + String.join(",", engine.syscalls()));
            out.flush();
            err.flush();
            return errors > 0 ? EXIT_RULE_ERRORS : 0;
        }
    }

    /** {@code vigil rules list FILE...}: one line per rule. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the rules the files define"
            + " (ENABLED 'never': the rule needs a field Vigil never fills, so it is not evaluated).")
    static final class ListRules implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Rules files, in load order.")
        List<Path> files;

        @Option(names = "--enabled", description = "Only enabled rules.")
        boolean enabledOnly;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!existing(files, err).isEmpty()) return EXIT_RULE_ERRORS;
            RuleEngine engine = RuleEngine.load(files, RuleOptions.defaults());
            for (LoadProblem p : engine.errors()) err.println(p.format());
            out.printf("%-60s %-13s %-8s %-30s %s%n", "RULE", "PRIORITY", "ENABLED", "EVENT TYPES", "TAGS");
            for (CompiledRule r : engine.rules()) {
                if (enabledOnly && !r.enabled()) continue;
                String types = r.eventTypes().complement() ? "*" : String.join(",", r.eventTypes().names());
                String enabled = !r.enabled() ? "no" : r.neverMatches() != null ? "never" : "yes";
                out.printf("%-60s %-13s %-8s %-30s %s%n", r.name(), r.priority().display(), enabled,
                        types, String.join(",", r.tags()));
            }
            out.flush();
            err.flush();
            return engine.hasErrors() ? EXIT_RULE_ERRORS : 0;
        }
    }

    /** {@code vigil rules fields}: the field catalog with types and whether Vigil fills each field. */
    @Command(name = "fields", mixinStandardHelpOptions = true,
            description = "List the fields conditions and outputs may use, with type and whether Vigil fills them.")
    static final class Fields implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--markdown", description = "Print a Markdown table (as in docs/RULES.md).")
        boolean markdown;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            FieldCatalog catalog = FieldCatalog.standard();
            if (markdown) {
                out.println("| Field | Type | Argument | Filled by Vigil | Description |");
                out.println("|---|---|---|---|---|");
            } else {
                out.printf("%-45s %-8s %-13s %-6s %s%n", "FIELD", "TYPE", "ARGUMENT", "FILLED", "DESCRIPTION");
            }
            for (FieldFamily fam : catalog.families()) {
                for (FieldDef d : fam.fields()) {
                    String arg = switch (d.arg()) {
                        case NONE -> "";
                        case INDEX -> "[n]";
                        case INDEX_OR_ANY -> "[n] or any";
                        case KEY -> d.name().startsWith("evt.") ? ".name or [n]" : "[key]";
                        case KEY_OPTIONAL -> "[key]";
                    };
                    if (markdown) {
                        out.printf("| `%s` | %s | %s | %s | %s |%n", d.name(), d.type().display(), arg,
                                d.filled() ? "yes" : "no", d.description().replace("|", "\\|"));
                    } else {
                        out.printf("%-45s %-8s %-13s %-6s %s%n", d.name(), d.type().display(), arg,
                                d.filled() ? "yes" : "no", d.description());
                    }
                }
            }
            out.flush();
            return 0;
        }
    }
}
