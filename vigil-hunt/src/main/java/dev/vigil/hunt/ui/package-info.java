/**
 * The web UI: static HTML, CSS and JavaScript served from the classpath by the hunt server (no framework, no
 * inline script, so the page runs under {@code Content-Security-Policy: default-src 'self'}).
 *
 * <p>Layer: hunt. Stateless; resources are loaded once and cached.
 */
package dev.vigil.hunt.ui;
