package dev.vigil.event;

/**
 * A change of credentials: setuid, setgid, setreuid, setresuid, setresgid, capset. Ids not changed are -1.
 *
 * @param res result when observed, else RES_UNKNOWN
 */
public record IdentityChange(EventHeader header, ProcessInfo process, String syscall, int ruid, int euid, int suid,
                             int rgid, int egid, int sgid, long capEffective, long capPermitted, long res)
        implements Event {
    @Override public String kind() { return "identity.change"; }
    @Override public String evtType() { return syscall; }
}
