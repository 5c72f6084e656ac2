package dev.vigil.event;

import java.util.List;

/**
 * One ancestor in a process's parent chain, nearest first ({@code proc.aname[n]} is the n-th). Its argv is
 * bounded to {@link #MAX_ARGV_CHARS} characters (the rest cut, marked "..."): every event of every descendant
 * carries it.
 */
public record Ancestor(int pid, String name, String exePath, List<String> argv) {
    public static final int MAX_ARGV_CHARS = 1024;

    public Ancestor {
        argv = argv == null ? List.of() : bounded(argv);
    }

    private static List<String> bounded(List<String> argv) {
        int total = 0;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a == null) break;
            if (total + a.length() > MAX_ARGV_CHARS) {
                java.util.ArrayList<String> cut = new java.util.ArrayList<>(argv.subList(0, i));
                cut.add(a.substring(0, Math.max(0, MAX_ARGV_CHARS - total)) + "...");
                return List.copyOf(cut);
            }
            total += a.length() + 1;
        }
        return List.copyOf(argv);
    }

    /** {@code proc.cmdline}-style rendering: name followed by the arguments. */
    public String cmdline() {
        return ProcessInfo.cmdline(name, argv);
    }
}
