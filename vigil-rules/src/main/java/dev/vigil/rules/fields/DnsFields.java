package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.ArgKind.NONE;
import static dev.vigil.rules.fields.FieldType.CHARBUF;

import dev.vigil.event.DnsMessage;
import dev.vigil.event.DomainNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code dns.*} (Vigil): the names in a DNS message the workload sent or received ({@code DnsMessage}); no
 * value on other events. Falco's syscall source has no such fields: rules using them should carry
 * {@code skip-if-unknown-filter: true} to stay loadable in Falco.
 */
public final class DnsFields implements FieldFamily {
    public static final FieldDef QUERY_NAME = FieldDef.any("dns.query.name", CHARBUF, NONE, "Names asked in the question section of a DNS query or answer, lower case, without the final dot (matches if any matches).");
    public static final FieldDef QUERY_DOMAIN = FieldDef.any("dns.query.domain", CHARBUF, NONE, "Each question name and every parent domain of it with at least two labels (a.pool.example.com: also pool.example.com, example.com): `dns.query.domain in (list)` matches a domain and its subdomains.");

    private static final List<FieldDef> FIELDS = List.of(QUERY_NAME, QUERY_DOMAIN);

    @Override public String name() { return "dns"; }

    @Override public List<FieldDef> fields() { return FIELDS; }

    @Override
    public BoundField bind(FieldDef f, String arg) {
        return switch (f.name()) {
            case "dns.query.name" -> BoundField.list(f, null, new Names(false));
            case "dns.query.domain" -> BoundField.list(f, null, new Names(true));
            default -> throw Args.unbound(f);
        };
    }

    /** The question names (and their parents), computed once per DNS message; evaluation is single-threaded. */
    private static final class Names implements ListExtractor {
        private final boolean parents;
        private DnsMessage last;
        private List<String> values = List.of();

        Names(boolean parents) { this.parents = parents; }

        private List<String> of(EvalContext c) {
            if (c.dns == null) return List.of();
            if (c.dns != last) {
                last = c.dns;
                values = names(c.dns, parents);
            }
            return values;
        }

        @Override public int size(EvalContext c) { return of(c).size(); }

        @Override public String get(EvalContext c, int i) { return of(c).get(i); }
    }

    static List<String> names(DnsMessage m, boolean parents) {
        List<String> out = new ArrayList<>(parents ? 4 * m.questions().size() : m.questions().size());
        for (DnsMessage.Question q : m.questions()) {
            String n = q.name();
            if (n == null) continue;
            n = n.toLowerCase(Locale.ROOT);
            while (n.endsWith(".")) n = n.substring(0, n.length() - 1);
            if (n.isEmpty()) continue;
            if (parents) DomainNames.addWithParents(n, out);
            else out.add(n);
        }
        return out;
    }
}
