package dev.vigil.rules.compile;

/**
 * Shell-style glob matching without allocation: {@code *} (any run, '/' included), {@code ?} (one
 * character), {@code [abc]}, {@code [a-z]}, {@code [!x]} / {@code [^x]}, and {@code \} to escape.
 */
public final class Glob {
    private final String pat;
    private final boolean ignoreCase;

    public Glob(String pattern, boolean ignoreCase) {
        this.pat = pattern;
        this.ignoreCase = ignoreCase;
    }

    public boolean matches(String s) {
        int p = 0, i = 0, starP = -1, starI = -1;
        while (i < s.length()) {
            if (p < pat.length()) {
                char pc = pat.charAt(p);
                if (pc == '*') { starP = ++p; starI = i; continue; }
                if (pc == '?') { p++; i++; continue; }
                if (pc == '[') {
                    int end = classEnd(p);
                    if (end > 0) {
                        if (classMatches(p, end, s.charAt(i))) { p = end + 1; i++; continue; }
                    } else if (eq('[', s.charAt(i))) { p++; i++; continue; }
                } else {
                    int q = p;
                    if (pc == '\\' && p + 1 < pat.length()) pc = pat.charAt(++q);
                    if (eq(pc, s.charAt(i))) { p = q + 1; i++; continue; }
                }
            }
            if (starP >= 0) { p = starP; i = ++starI; continue; }
            return false;
        }
        while (p < pat.length() && pat.charAt(p) == '*') p++;
        return p == pat.length();
    }

    private int classEnd(int p) {
        int j = p + 1;
        if (j < pat.length() && (pat.charAt(j) == '!' || pat.charAt(j) == '^')) j++;
        if (j < pat.length() && pat.charAt(j) == ']') j++;
        while (j < pat.length() && pat.charAt(j) != ']') j++;
        return j < pat.length() ? j : -1;
    }

    private boolean classMatches(int p, int end, char c) {
        int j = p + 1;
        boolean neg = pat.charAt(j) == '!' || pat.charAt(j) == '^';
        if (neg) j++;
        boolean hit = false;
        boolean first = true;
        while (j < end || (first && j == end)) {
            char lo = pat.charAt(j);
            if (j + 2 < end && pat.charAt(j + 1) == '-') {
                char hi = pat.charAt(j + 2);
                if (inRange(c, lo, hi)) hit = true;
                j += 3;
            } else {
                if (eq(lo, c)) hit = true;
                j++;
            }
            first = false;
        }
        return hit != neg;
    }

    private boolean inRange(char c, char lo, char hi) {
        if (c >= lo && c <= hi) return true;
        if (!ignoreCase) return false;
        char l = Character.toLowerCase(c), u = Character.toUpperCase(c);
        return (l >= lo && l <= hi) || (u >= lo && u <= hi);
    }

    private boolean eq(char a, char b) {
        return a == b || (ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b));
    }
}
