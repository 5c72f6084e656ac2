/**
 * Noise control of the alert stream: {@link dev.vigil.response.noise.AlertGate} merges identical alerts within a
 * window (delivered once, repeats reported with a count) and limits each rule's delivered alerts with a token
 * bucket. Thread-safe; memory bounded. Used by the responder between rule matches and alert outputs.
 */
package dev.vigil.response.noise;
