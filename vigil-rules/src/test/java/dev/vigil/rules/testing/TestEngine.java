package dev.vigil.rules.testing;

import dev.vigil.event.Event;
import dev.vigil.rules.engine.CompiledRule;
import dev.vigil.rules.engine.RuleEngine;
import dev.vigil.rules.engine.RuleMatching;
import dev.vigil.rules.engine.RuleOptions;
import dev.vigil.rules.engine.RulesSource;
import dev.vigil.rules.fields.UserDb;
import dev.vigil.rules.load.LoadProblem;
import dev.vigil.rules.output.Alert;
import dev.vigil.rules.output.AlertFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers: engines from YAML text, conditions as one-rule engines, alerts collected per event. */
public final class TestEngine {
    private TestEngine() {}

    public static final UserDb USERS = UserDb.of(Map.of(
            0, new UserDb.User(0, "root", "/root", "/bin/bash"),
            33, new UserDb.User(33, "www-data", "/var/www", "/usr/sbin/nologin"),
            1000, new UserDb.User(1000, "app", "/home/app", "/bin/sh")),
            Map.of(0, "root", 33, "www-data", 1000, "app"));

    public static RuleOptions options() {
        return RuleOptions.defaults().withUsers(USERS).withHostname("test-host").withMatching(RuleMatching.ALL);
    }

    public static RuleEngine yaml(String yaml) {
        return RuleEngine.loadSources(List.of(RulesSource.text("test.yaml", yaml)), options());
    }

    /** A one-rule engine for {@code condition}; fails the test when it does not compile. */
    public static RuleEngine condition(String condition) {
        RuleEngine e = yaml("- rule: r\n  desc: d\n  condition: '" + condition.replace("'", "''")
                + "'\n  output: o\n  priority: WARNING\n");
        if (e.hasErrors()) throw new AssertionError("condition did not compile: " + e.errors());
        return e;
    }

    /** The problems of loading {@code condition} as a rule. */
    public static List<LoadProblem> problemsOf(String condition) {
        return yaml("- rule: r\n  desc: d\n  condition: '" + condition.replace("'", "''")
                + "'\n  output: o\n  priority: WARNING\n").errors();
    }

    /** Whether {@code condition} matches {@code e}. */
    public static boolean matches(String condition, Event e) {
        return condition(condition).evaluate(e, (r, c) -> { }) > 0;
    }

    /** Names of the rules that match {@code e}. */
    public static List<String> fired(RuleEngine engine, Event e) {
        List<String> names = new ArrayList<>();
        engine.evaluate(e, (r, c) -> names.add(r.name()));
        return names;
    }

    /** The alerts {@code e} produces. */
    public static List<Alert> alerts(RuleEngine engine, Event e) {
        List<Alert> out = new ArrayList<>();
        engine.evaluate(e, (CompiledRule r, dev.vigil.rules.fields.EvalContext c) -> out.add(AlertFormatter.alert(r, c)));
        return out;
    }
}
