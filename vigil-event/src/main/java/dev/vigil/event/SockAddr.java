package dev.vigil.event;

/**
 * A decoded socket address. {@code family} is "inet", "inet6", "unix", "netlink" or "unknown(N)".
 * For unix sockets {@code address} is the path ('@' prefix for the abstract namespace) and port is 0.
 */
public record SockAddr(String family, String address, int port) {
    @Override public String toString() {
        return switch (family) {
            case "inet6" -> "[" + address + "]:" + port;
            case "inet" -> address + ":" + port;
            default -> address;
        };
    }
}
