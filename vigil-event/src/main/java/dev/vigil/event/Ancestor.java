package dev.vigil.event;

import java.util.List;

/** One ancestor in a process's parent chain, nearest first ({@code proc.aname[n]} is the n-th). */
public record Ancestor(int pid, String name, String exePath, List<String> argv) {
    public Ancestor {
        argv = argv == null ? List.of() : List.copyOf(argv);
    }

    /** {@code proc.cmdline}-style rendering: name followed by the arguments. */
    public String cmdline() {
        return ProcessInfo.cmdline(name, argv);
    }
}
