/**
 * IOC sweeps: indicator lists (executable SHA-256 hashes, domains, IP addresses, command-line substrings)
 * matched against every stored process, connection and DNS message, across all history and workloads.
 *
 * <p>Layer: hunt. Stateless and thread-safe; runs through {@link dev.vigil.hunt.query.QueryService#trusted}.
 */
package dev.vigil.hunt.ioc;
