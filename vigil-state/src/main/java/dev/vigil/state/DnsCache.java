package dev.vigil.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the workload's DNS answers said: IP address → the names it was resolved from (the question name and the
 * CNAME chain), so a later connect carries the domain (Falco's {@code fd.sip.name}). Bounded: the least recently
 * used addresses go first. Thread-safe (answers and connects come from the capture threads).
 */
public final class DnsCache {
    private static final int NAMES_PER_IP = 8;
    private final LinkedHashMap<String, List<String>> byIp;

    public DnsCache(int maxAddresses) {
        this.byIp = new LinkedHashMap<>(256, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, List<String>> e) {
                return size() > maxAddresses;
            }
        };
    }

    /** Records that {@code ip} answered for {@code name}. */
    public synchronized void put(String ip, String name) {
        List<String> names = byIp.computeIfAbsent(ip, k -> new ArrayList<>(2));
        if (!names.contains(name)) {
            if (names.size() >= NAMES_PER_IP) names.removeFirst();
            names.add(name);
        }
    }

    /** Names {@code ip} was resolved from, most recent last; empty when none. */
    public synchronized List<String> names(String ip) {
        List<String> n = ip == null ? null : byIp.get(ip);
        return n == null ? List.of() : List.copyOf(n);
    }

    public synchronized int size() {
        return byIp.size();
    }
}
