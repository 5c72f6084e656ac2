/**
 * The {@code vigil} command (picocli). The only package that wires the layers together: capture → state →
 * rules → response → outputs. User-facing errors are printed as one line without a stack trace, with the exit
 * code a shell would use.
 */
package dev.vigil.cli;
