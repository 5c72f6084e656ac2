package dev.vigil.event;

import java.util.Collection;

/**
 * The domains a DNS name stands for when matching lists of domains: the name itself and every parent domain of
 * at least two labels ({@code a.pool.example.com}: also {@code pool.example.com}, {@code example.com}; a
 * top-level domain alone names no one). Shared by the sensor's {@code dns.query.domain} rule field and the hunt
 * server's domain indicators, which must agree on what a domain matches.
 */
public final class DomainNames {
    private DomainNames() {}

    /** Adds {@code name} (already normalised: lower case, no final dot, not empty) and its parents to {@code out}. */
    public static void addWithParents(String name, Collection<String> out) {
        out.add(name);
        for (int dot = name.indexOf('.'); dot >= 0 && name.indexOf('.', dot + 1) >= 0; dot = name.indexOf('.', dot + 1)) {
            out.add(name.substring(dot + 1));
        }
    }
}
