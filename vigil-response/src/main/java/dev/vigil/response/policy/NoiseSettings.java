package dev.vigil.response.policy;

import java.time.Duration;

/**
 * Noise control of the alert stream: identical alerts within {@code dedupWindow} are delivered once with a
 * count (zero disables), and each rule delivers at most {@code ratePerSecond} alerts a second with bursts of
 * {@code burst} (either zero disables the limit).
 */
public record NoiseSettings(Duration dedupWindow, double ratePerSecond, int burst) {
    public NoiseSettings {
        if (dedupWindow == null || dedupWindow.isNegative()) throw new IllegalArgumentException("dedupWindow " + dedupWindow);
        if (ratePerSecond < 0 || burst < 0) throw new IllegalArgumentException("rate " + ratePerSecond + ", burst " + burst);
    }

    /** 60 s de-duplication, 20 alerts a second per rule, bursts of 100. */
    public static NoiseSettings defaults() { return new NoiseSettings(Duration.ofSeconds(60), 20, 100); }

    /** Whether identical alerts are merged. */
    public boolean dedupEnabled() { return !dedupWindow.isZero(); }

    /** Whether the per-rule rate limit applies. */
    public boolean rateLimited() { return ratePerSecond > 0 && burst > 0; }
}
