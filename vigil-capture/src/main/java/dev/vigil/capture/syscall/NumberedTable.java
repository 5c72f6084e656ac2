package dev.vigil.capture.syscall;

import java.util.EnumMap;

/** Number lookups both ways for a table built from an {@code EnumMap}. */
abstract sealed class NumberedTable permits X86_64Table, Aarch64Table {
    private final int[] numbers = new int[Sys.values().length];
    private final Sys[] byNumber;

    NumberedTable(EnumMap<Sys, Integer> m) {
        int max = 0;
        for (Sys s : Sys.values()) {
            Integer n = m.get(s);
            if (n == null) throw new IllegalStateException("no number for " + s);
            numbers[s.ordinal()] = n;
            max = Math.max(max, n);
        }
        byNumber = new Sys[max + 1];
        for (Sys s : Sys.values()) if (numbers[s.ordinal()] >= 0) byNumber[numbers[s.ordinal()]] = s;
    }

    public final int nr(Sys sys) {
        return numbers[sys.ordinal()];
    }

    public final Sys sys(long nr) {
        return nr >= 0 && nr < byNumber.length ? byNumber[(int) nr] : null;
    }
}
