package dev.vigil.event;

/**
 * An action against another process: ptrace (request number in {@code request}), process_vm_writev, or a
 * signal sent with kill/tkill/tgkill ({@code request} is then the signal number).
 *
 * @param targetPid     the target's pid as given
 * @param targetCmdline the target's command line when it is a watched process, else null
 */
public record ProcessTamper(EventHeader header, ProcessInfo process, String syscall, int targetPid,
                            String targetCmdline, long request, long res) implements Event {
    @Override public String kind() { return "process.tamper"; }
    @Override public String evtType() { return syscall; }
}
