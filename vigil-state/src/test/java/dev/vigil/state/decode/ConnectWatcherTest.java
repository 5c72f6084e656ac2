package dev.vigil.state.decode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectWatcherTest {
    private static final int CONNECT = 42;

    @Test
    void a_thread_blocked_in_connect_on_the_socket_has_not_returned() {
        assertThat(ConnectWatcher.connectReturned("42 0x4 0x7ffd1234 0x10 0x0 0x0 0x0 0x7ffd0000 0x7f0000\n", CONNECT, 4)).isFalse();
    }

    @Test
    void a_thread_in_another_syscall_or_on_another_fd_has_returned() {
        assertThat(ConnectWatcher.connectReturned("7 0x7ffd1234 0x1 0x1388 0x0 0x0 0x0 0x7ffd0000 0x7f0000\n", CONNECT, 4)).isTrue();
        assertThat(ConnectWatcher.connectReturned("42 0x5 0x7ffd1234 0x10 0x0 0x0 0x0 0x7ffd0000 0x7f0000\n", CONNECT, 4)).isTrue();
        assertThat(ConnectWatcher.connectReturned("-1 0x7ffd0000 0x7f0000\n", CONNECT, 4)).isTrue();
    }

    @Test
    void a_runnable_thread_may_not_have_entered_connect_yet() {
        // just let go by the seccomp supervisor, not yet scheduled: its socket is still closed, and that is no refusal
        assertThat(ConnectWatcher.connectReturned("running\n", CONNECT, 4)).isFalse();
    }
}
