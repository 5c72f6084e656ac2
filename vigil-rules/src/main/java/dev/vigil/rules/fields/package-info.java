/**
 * The field catalog: one class per field family ({@link dev.vigil.rules.fields.EvtFields},
 * {@link dev.vigil.rules.fields.ProcFields}, {@link dev.vigil.rules.fields.FdFields}, ...), each a table of
 * {@link dev.vigil.rules.fields.FieldDef} rows and a {@code bind} method that turns a row into an extractor
 * once, at compile time. {@link dev.vigil.rules.fields.FieldCatalog} is the single lookup the parser-side
 * passes, the docs ({@code vigil rules fields}) and the tests use.
 *
 * <p>Per event, extractors read through an {@link dev.vigil.rules.fields.EvalContext}: typed views of the
 * event set once by {@code EvalContext.reset}, and caches of derived strings (command lines, directory
 * names) so repeated checks do not recompute or allocate. A missing value is "no value" (null, or
 * {@link dev.vigil.rules.fields.NumExtractor#NO_VALUE}), never an exception: comparisons on it are false and
 * outputs print {@code <NA>}, as in Falco.
 *
 * <p>Layer: rules; depends on {@code dev.vigil.event} only. The tables are immutable constants; an
 * {@code EvalContext} is confined to the thread that evaluates (one per {@code RuleEngine}).
 */
package dev.vigil.rules.fields;
