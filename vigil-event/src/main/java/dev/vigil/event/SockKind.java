package dev.vigil.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * A socket's type ("stream", "dgram", ...) and protocol ("tcp", "udp", or "" when the kernel chooses). Known at
 * once, or read on first use while the syscall that names the socket is still held: learning them costs a copy
 * of the workload's socket and four syscalls, and when only rules look at a connect, few ever ask. Once the
 * syscall has been answered ({@link #seal}) the socket may be gone, so a kind nobody read stays unknown.
 * Thread-safe.
 */
public final class SockKind {
    /** Reads a socket's {type, protocol}; called at most once, on the thread that holds the syscall. */
    @FunctionalInterface
    public interface Reader {
        String[] read();
    }

    private String type;
    private String protocol;
    private Reader reader;

    private SockKind(String type, String protocol, Reader reader) {
        this.type = type;
        this.protocol = protocol;
        this.reader = reader;
    }

    /** A kind already known. */
    public static SockKind of(String type, String protocol) {
        return new SockKind(Objects.requireNonNull(type), Objects.requireNonNull(protocol), null);
    }

    /** A kind read by {@code reader} when first asked, until {@link #seal}. */
    public static SockKind lazy(Reader reader) {
        return new SockKind(null, null, Objects.requireNonNull(reader));
    }

    public synchronized String type() {
        resolve();
        return type;
    }

    public synchronized String protocol() {
        resolve();
        return protocol;
    }

    /** The syscall was answered: no more reading; a kind nobody asked for stays unknown. */
    public synchronized void seal() {
        if (reader != null) {
            reader = null;
            type = "unknown";
            protocol = "";
        }
    }

    private void resolve() {
        if (reader == null) return;
        Reader r = reader;
        reader = null;
        String[] tp = null;
        try {
            tp = r.read();
        } finally {
            type = tp != null && tp.length == 2 && tp[0] != null ? tp[0] : "unknown";
            protocol = tp != null && tp.length == 2 && tp[1] != null ? tp[1] : "";
        }
    }

    /** {type, protocol} when known (read or given), null while unread; never reads the socket. */
    private synchronized String[] known() {
        return reader == null ? new String[] {type, protocol} : null;
    }

    /** Equal when both are known and the same; an unread kind is equal only to itself (equality never reads). */
    @Override public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof SockKind k)) return false;
        String[] a = known(), b = k.known();
        return a != null && b != null && Arrays.equals(a, b);
    }

    @Override public int hashCode() {
        String[] a = known();
        return a == null ? System.identityHashCode(this) : Arrays.hashCode(a);
    }

    @Override public String toString() {
        String[] a = known();
        return a == null ? "unread" : a[0] + "/" + a[1];
    }
}
