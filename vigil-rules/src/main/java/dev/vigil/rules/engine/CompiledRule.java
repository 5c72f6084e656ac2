package dev.vigil.rules.engine;

import dev.vigil.rules.compile.EventPredicate;
import dev.vigil.rules.compile.TypeSet;
import dev.vigil.rules.fields.EvalContext;
import dev.vigil.rules.load.SourceRef;
import dev.vigil.rules.output.OutputTemplate;
import java.util.List;

/** A loaded rule: its metadata, compiled condition and output, and where it was defined. Immutable. */
public final class CompiledRule {
    private final String name;
    private final String description;
    private final Priority priority;
    private final List<String> tags;
    private final OutputTemplate output;
    private final EventPredicate predicate;
    private final TypeSet types;
    private final boolean enabled;
    private final boolean usesResult;
    private final VigilExtension vigil;
    private final SourceRef where;
    private final String neverMatches;
    final java.util.Set<String> procNames;
    /** The condition reads a name the sensor learns from DNS answers ({@code fd.sip.name}, ...). */
    final boolean usesDnsNames;
    /** The condition reads whether the executable was written by the workload ({@code proc.is_exe_upper_layer}). */
    final boolean usesWrittenFiles;
    final int order;
    /**
     * The response layer enforces this rule (block or kill): on judged syscalls it runs only on attempts. Set
     * by {@link RuleEngine#setResponses} before evaluation starts.
     */
    boolean enforcing;
    /** The rule has a response beyond an alert (enforcement, a webhook): first-match never hides it. */
    boolean acting;
    final dev.vigil.rules.compile.Memo[][] guards;

    CompiledRule(String name, String description, Priority priority, List<String> tags, OutputTemplate output,
                 EventPredicate predicate, TypeSet types, boolean enabled, boolean usesResult, VigilExtension vigil,
                 SourceRef where, int order, List<dev.vigil.rules.compile.Memo[]> guards, String neverMatches,
                 java.util.Set<String> procNames, boolean usesDnsNames, boolean usesWrittenFiles) {
        this.usesDnsNames = usesDnsNames;
        this.usesWrittenFiles = usesWrittenFiles;
        this.neverMatches = neverMatches;
        this.procNames = procNames;
        this.guards = guards.toArray(dev.vigil.rules.compile.Memo[][]::new);
        this.name = name;
        this.description = description;
        this.priority = priority;
        this.tags = List.copyOf(tags);
        this.output = output;
        this.predicate = predicate;
        this.types = types;
        this.enabled = enabled;
        this.usesResult = usesResult;
        this.vigil = vigil;
        this.where = where;
        this.order = order;
    }

    public String name() { return name; }

    public String description() { return description; }

    public Priority priority() { return priority; }

    public List<String> tags() { return tags; }

    /** Always "syscall": rules of other sources are skipped at load. */
    public String source() { return "syscall"; }

    public OutputTemplate output() { return output; }

    /** The event types the condition can match ({@link TypeSet#isAll()} when unrestricted). */
    public TypeSet eventTypes() { return types; }

    /** Whether the rule is evaluated (after the file's {@code enabled} and the load options). */
    public boolean enabled() { return enabled; }

    /** Whether the condition reads the syscall's result (evt.res, fd.num, ...). */
    public boolean usesResult() { return usesResult; }

    /** Whether the response layer enforces this rule ({@link RuleEngine#setResponses}). */
    public boolean enforcing() { return enforcing; }

    /** The {@code vigil:} extension, or null. */
    public VigilExtension vigil() { return vigil; }

    /**
     * Why the rule can never match Vigil's events (it needs a field Vigil never fills), or null. Such a rule
     * is loaded and listed but not indexed, and adds no syscall.
     */
    public String neverMatches() { return neverMatches; }

    /** Where the rule is defined. */
    public SourceRef where() { return where; }

    /**
     * Evaluates the condition on the event in context (for tools and tests; the engine uses its index). Like
     * the engine, not thread-safe: compiled macros remember their last value per context.
     */
    public boolean matches(EvalContext c) { return predicate.test(c); }

    EventPredicate predicate() { return predicate; }

    /** True when a necessary macro (or every macro of a necessary {@code or}) is already false for this event. */
    boolean ruledOut(EvalContext c, long stamp) {
        for (dev.vigil.rules.compile.Memo[] g : guards) {
            boolean allFalse = true;
            for (dev.vigil.rules.compile.Memo m : g) {
                if (!m.knownFalse(c, stamp)) { allFalse = false; break; }
            }
            if (allFalse) return true;
        }
        return false;
    }

    @Override public String toString() { return "rule '" + name + "' (" + priority.display() + ")"; }
}
