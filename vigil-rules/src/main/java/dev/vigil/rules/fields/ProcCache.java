package dev.vigil.rules.fields;

import dev.vigil.event.Ancestor;
import dev.vigil.event.ProcessInfo;

/**
 * Derived strings of a process image ({@code proc.cmdline}, {@code proc.args}, {@code proc.pcmdline}, ...)
 * computed once per {@link ProcessInfo} instance: a direct-mapped table keyed by identity. The state layer
 * builds one {@code ProcessInfo} per exec and shares it, so in steady state lookups hit and allocate nothing.
 */
final class ProcCache {
    private static final int SIZE = 512;
    private final Entry[] slots = new Entry[SIZE];

    Entry entry(ProcessInfo p) {
        int h = System.identityHashCode(p);
        int i = (h ^ (h >>> 9)) & (SIZE - 1);
        Entry e = slots[i];
        if (e == null || e.proc != p) {
            e = new Entry(p);
            slots[i] = e;
        }
        return e;
    }

    /** Lazily computed derived values of one process image. */
    static final class Entry {
        final ProcessInfo proc;
        private String cmdline;
        private String args;
        private String exe;
        private String pcmdline;
        private String[] acmdline;
        private final long tty;

        Entry(ProcessInfo p) {
            this.proc = p;
            this.tty = Render.ttyNumber(p.tty());
        }

        long tty() { return tty; }

        String cmdline() {
            if (cmdline == null) cmdline = proc.cmdline();
            return cmdline;
        }

        String args() {
            if (args == null) args = proc.args();
            return args;
        }

        String exe() {
            if (exe == null) exe = proc.exe();
            return exe;
        }

        String pcmdline() {
            if (pcmdline == null) {
                Ancestor a = proc.ancestors().isEmpty() ? null : proc.ancestors().getFirst();
                pcmdline = a == null ? "" : a.cmdline();
            }
            return proc.ancestors().isEmpty() ? null : pcmdline;
        }

        String acmdline(int n) {
            if (n < 0 || n >= proc.ancestors().size()) return null;
            if (acmdline == null) acmdline = new String[proc.ancestors().size()];
            if (acmdline[n] == null) acmdline[n] = proc.ancestors().get(n).cmdline();
            return acmdline[n];
        }
    }
}
