/**
 * Bearer-token authentication of the hunt server: loading or generating the token, constant-time checks.
 *
 * <p>Layer: hunt (server side). Thread-safe: a {@link dev.vigil.hunt.auth.TokenAuth} is immutable once built.
 * Imported by the server's HTTP layer only.
 */
package dev.vigil.hunt.auth;
