/**
 * State layer, network decoders: turn bytes copied out of the workload into the values of network events:
 * {@link dev.vigil.state.net.SockAddrDecoder} for {@code struct sockaddr} (connect, bind, sendto, accept) and
 * {@link dev.vigil.state.net.DnsParser} for DNS payloads, both feeding the records of {@code dev.vigil.event}.
 *
 * <p>Layer: vigil-state; depends on the JDK and vigil-event only, imported by the syscall decoders that build
 * network and DNS events. Threading: pure static functions without shared state, called on the capture threads
 * (tracer, notifier) while the task is stopped; safe from any thread. Input is hostile by assumption: every read
 * is bounded, loops are capped, no input throws, and a damaged input yields what could be read plus a marker
 * ({@code <truncated>} in a socket address, {@code problem} in a parsed DNS message).
 */
package dev.vigil.state.net;
