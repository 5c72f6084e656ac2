package dev.vigil.hunt.ioc;

import dev.vigil.event.InetText;
import dev.vigil.hunt.ingest.IngestParser;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A validated list of indicators. Hashes are lower-cased; domains lower-cased without a trailing dot and
 * match themselves and their subdomains; IPs must be literals (never resolved); command-line substrings match
 * case-sensitively anywhere in {@code proc.cmdline}.
 */
public record Indicators(List<String> sha256, List<String> domains, List<String> ips, List<String> cmdline) {
    /** Most indicators in one sweep. */
    public static final int MAX = 10_000;

    public Indicators {
        sha256 = List.copyOf(sha256 == null ? List.of() : sha256);
        domains = List.copyOf(domains == null ? List.of() : domains);
        ips = List.copyOf(ips == null ? List.of() : ips);
        cmdline = List.copyOf(cmdline == null ? List.of() : cmdline);
    }

    /** Total number of indicators. */
    public int size() {
        return sha256.size() + domains.size() + ips.size() + cmdline.size();
    }

    /**
     * Normalises and checks raw lists.
     *
     * @throws IllegalArgumentException naming the first bad indicator and what is expected
     */
    public static Indicators of(List<String> sha256, List<String> domains, List<String> ips, List<String> cmdline) {
        List<String> h = new ArrayList<>(), d = new ArrayList<>(), ip = new ArrayList<>(), c = new ArrayList<>();
        for (String s : uniq(sha256)) {
            String v = s.strip().toLowerCase(Locale.ROOT);
            if (!v.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("sha256 indicator '" + s + "' is not 64 hex digits");
            h.add(v);
        }
        for (String s : uniq(domains)) {
            String v = IngestParser.normDomain(s);
            if (v.startsWith("*.")) v = v.substring(2);
            if (v.isEmpty() || !v.matches("[a-z0-9_.-]+")) throw new IllegalArgumentException("domain indicator '" + s + "' is not a domain name");
            d.add(v);
        }
        for (String s : uniq(ips)) {
            String v = s.strip().toLowerCase(Locale.ROOT);
            InetAddress a;
            try {
                a = InetAddress.ofLiteral(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ip indicator '" + s + "' is not an IPv4 or IPv6 literal");
            }
            // The sensor writes dotted quads and RFC 5952 text; an IPv4 address also matches its IPv4-mapped form.
            String canonical = InetText.of(a.getAddress());
            if (!ip.contains(canonical)) ip.add(canonical);
            if (a.getAddress().length == 4 && !ip.contains("::ffff:" + canonical)) ip.add("::ffff:" + canonical);
        }
        for (String s : uniq(cmdline)) {
            if (s.isEmpty()) throw new IllegalArgumentException("empty command-line indicator");
            c.add(s);
        }
        Indicators ind = new Indicators(h, d, ip, c);
        if (ind.size() > MAX) throw new IllegalArgumentException(ind.size() + " indicators, limit " + MAX);
        return ind;
    }

    /**
     * Classifies free text (the UI's search box): 64 hex digits are a hash, an IP literal an IP, a dotted name a
     * domain, and anything else, or any text in double quotes, a command-line substring. Separators are
     * whitespace and commas.
     */
    public static Indicators parse(String text) {
        List<String> h = new ArrayList<>(), d = new ArrayList<>(), ip = new ArrayList<>(), c = new ArrayList<>();
        int i = 0, n = text.length();
        while (i < n) {
            char ch = text.charAt(i);
            if (Character.isWhitespace(ch) || ch == ',') {
                i++;
            } else if (ch == '"') {
                int e = text.indexOf('"', i + 1);
                if (e < 0) e = n;
                String sub = text.substring(i + 1, e);
                if (!sub.isEmpty()) c.add(sub);
                i = e + 1;
            } else {
                int s = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != ',') i++;
                String tok = text.substring(s, i);
                String low = tok.toLowerCase(Locale.ROOT);
                if (low.matches("[0-9a-f]{64}")) h.add(low);
                else if (isIp(low)) ip.add(low);
                else if (low.matches("(\\*\\.)?[a-z0-9_-]+(\\.[a-z0-9_-]+)+\\.?") && !low.matches("[0-9.]+")) d.add(low);
                else c.add(tok);
            }
        }
        return of(h, d, ip, c);
    }

    private static boolean isIp(String s) {
        if (!s.matches("[0-9a-f:.]+") || !(s.contains(".") || s.contains(":"))) return false;
        try {
            InetAddress.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> uniq(List<String> in) {
        if (in == null) return List.of();
        LinkedHashSet<String> set = new LinkedHashSet<>();
        for (String s : in) if (s != null && !s.isBlank()) set.add(s);
        return List.copyOf(set);
    }
}
