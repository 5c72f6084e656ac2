package dev.vigil.rules.engine;

import java.util.Locale;

/** Rule priorities, most severe first, with the names Falco prints. */
public enum Priority {
    EMERGENCY("Emergency"), ALERT("Alert"), CRITICAL("Critical"), ERROR("Error"), WARNING("Warning"),
    NOTICE("Notice"), INFORMATIONAL("Informational"), DEBUG("Debug");

    private final String display;

    Priority(String display) { this.display = display; }

    /** As printed in alerts: {@code Warning}, {@code Informational}, ... */
    public String display() { return display; }

    /** At least as severe as {@code min}. */
    public boolean atLeast(Priority min) { return ordinal() <= min.ordinal(); }

    /** Parses a priority as rules files write it (any case; {@code info} for informational); null if unknown. */
    public static Priority parse(String s) {
        if (s == null) return null;
        String v = s.trim().toUpperCase(Locale.ROOT);
        if (v.equals("INFO")) return INFORMATIONAL;
        for (Priority p : values()) if (p.name().equals(v)) return p;
        return null;
    }
}
