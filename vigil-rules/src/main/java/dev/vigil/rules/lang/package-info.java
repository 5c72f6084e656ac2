/**
 * The Falco condition language: {@link dev.vigil.rules.lang.Parser} turns a condition string into the sealed
 * {@link dev.vigil.rules.lang.Expr} AST, every node carrying its {@link dev.vigil.rules.lang.Pos}.
 *
 * <p>Layer: rules (first pass). Depends on the JDK only; knows nothing of events or fields (a field is a
 * name and an optional {@code [arg]} here; {@code dev.vigil.rules.compile} binds it). Pure functions on
 * immutable records: thread-safe. Imported by {@code .load} and {@code .compile}.
 */
package dev.vigil.rules.lang;
