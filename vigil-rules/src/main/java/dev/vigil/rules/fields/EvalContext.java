package dev.vigil.rules.fields;

import dev.vigil.event.Ancestor;
import dev.vigil.event.DnsMessage;
import dev.vigil.event.Event;
import dev.vigil.event.FileOp;
import dev.vigil.event.IdentityChange;
import dev.vigil.event.NetOp;
import dev.vigil.event.ProcessExec;
import dev.vigil.event.ProcessExecFailed;
import dev.vigil.event.ProcessExit;
import dev.vigil.event.ProcessFork;
import dev.vigil.event.ProcessInfo;
import dev.vigil.event.ProcessTamper;
import dev.vigil.event.SensorNotice;
import dev.vigil.event.SockAddr;

/**
 * The event being evaluated, seen through typed views set once per event by {@link #reset}, plus caches of
 * derived values. Extractors read only through it. Confined to one thread; reused for every event, so the
 * per-event path allocates nothing unless a rule asks for a value that must be built (e.g. a directory name),
 * and derived process strings ({@code proc.cmdline}, ...) are cached per {@link ProcessInfo} instance, which
 * the state layer shares between all events of a process image.
 */
public final class EvalContext {
    private final UserDb users;
    private final String hostname;
    private final ProcCache procCache = new ProcCache();

    Event event;
    ProcessInfo proc;
    private long stamp;
    private String evtType;
    ProcCache.Entry procEntry;
    int typeId;

    FileOp file;
    NetOp net;
    DnsMessage dns;
    ProcessExec exec;
    ProcessExecFailed execFailed;
    ProcessFork fork;
    ProcessExit exit;
    IdentityChange ident;
    ProcessTamper tamper;
    SensorNotice notice;
    dev.vigil.event.ResponseAction action;

    /** Result of the syscall, {@link Event#RES_UNKNOWN} if not observed. */
    long res;
    /** The fd-carrying part: 0 none, 1 file, 2 socket (net or dns). */
    int fdKind;

    private String fdDirectory;
    private String fdFilename;
    private String fdName;
    private dev.vigil.event.Workload workload;
    private String containerId;
    private String imageRepository;
    private String imageTag;
    private String image;
    final byte[] ipScratch = new byte[16];
    private final int[] flagKeys = new int[64];
    private final String[] flagNames = new String[64];

    /** Open flags rendered as Falco does, from a small cache (the same few flag sets recur). */
    String openFlags(int flags) {
        int i = (flags ^ (flags >>> 11) ^ (flags >>> 17)) & 63;
        String s = flagNames[i];
        if (s == null || flagKeys[i] != flags) {
            s = Render.openFlags(flags);
            flagKeys[i] = flags;
            flagNames[i] = s;
        }
        return s;
    }

    public EvalContext(UserDb users, String hostname) {
        this.users = users;
        this.hostname = hostname;
    }

    /** Points the context at {@code e}, with {@code typeId} the engine's id of {@code e.evtType()}. */
    public void reset(Event e, int typeId) {
        stamp++;
        this.event = e;
        this.evtType = falcoType(e);
        this.typeId = typeId;
        this.proc = e.process();
        this.procEntry = proc == null ? null : procCache.entry(proc);
        file = null; net = null; dns = null; exec = null; execFailed = null; fork = null; exit = null;
        ident = null; tamper = null; notice = null; action = null;
        fdDirectory = null; fdFilename = null; fdName = null;
        dev.vigil.event.Workload w = e.header().workload();
        if (w != workload) {
            workload = w;
            containerId = ContainerFields.shortId(w.containerId());
            imageRepository = ContainerFields.repository(w.image());
            imageTag = ContainerFields.tag(w);
            image = ContainerFields.image(w);
        }
        fdKind = 0;
        switch (e) {
            case FileOp f -> {
                file = f; res = f.res();
                fdKind = FdFields.hasFd(f) ? 1 : 0;
            }
            case NetOp n -> { net = n; res = n.res(); fdKind = 2; }
            case DnsMessage d -> { dns = d; res = Event.RES_UNKNOWN; fdKind = 2; }
            case ProcessExec x -> { exec = x; res = 0; }
            case ProcessExecFailed x -> { execFailed = x; res = -Math.abs((long) x.errno()); }
            case ProcessFork x -> { fork = x; res = x.childPid(); }
            case ProcessExit x -> { exit = x; res = Event.RES_UNKNOWN; }
            case IdentityChange x -> { ident = x; res = x.res(); }
            case ProcessTamper x -> { tamper = x; res = x.res(); }
            case SensorNotice x -> { notice = x; res = Event.RES_UNKNOWN; }
            case dev.vigil.event.ResponseAction x -> { action = x; res = Event.RES_UNKNOWN; }
        }
    }

    /** A number that changes with every {@link #reset}: lets compiled macros remember their value per event. */
    public long stamp() { return stamp; }

    /**
     * Falco's {@code evt.type} for an event: its {@code evtType()}, except that a connect's outcome reported
     * as a separate event ({@code connect_result}) is Falco's connect exit event, {@code connect}.
     */
    public static String falcoType(Event e) {
        String t = e.evtType();
        return t.equals("connect_result") ? "connect" : t;
    }

    /** Falco's evt.type of the event in context ({@link #falcoType}). */
    public String evtType() { return evtType; }

    /** The event in context. */
    public Event event() { return event; }

    /** The engine's id of the current event type. */
    public int typeId() { return typeId; }

    /** The host name reported as {@code evt.hostname} and in alerts. */
    public String hostname() { return hostname; }

    UserDb users() { return users; }

    /** A 16-byte scratch buffer for parsing addresses during one comparison. */
    public byte[] ipScratch() { return ipScratch; }

    private final String[] ipKeys = new String[2];
    private final byte[][] ipBufs = {new byte[16], new byte[16]};
    private final int[] ipLens = new int[2];
    private int ipNext;

    /**
     * The parsed form of address string {@code s} (an address of the event: the same String instance is
     * parsed once however many rules compare it); returns its length (4 or 16, -1 if malformed) and leaves
     * the bytes in {@link #ipBytes(String)}.
     */
    public int ipParse(String s) {
        for (int i = 0; i < 2; i++) if (ipKeys[i] == s) return ipLens[i];
        int slot = ipNext;
        ipNext = 1 - ipNext;
        ipKeys[slot] = s;
        ipLens[slot] = dev.vigil.rules.compile.IpNet.parseAddr(s, ipBufs[slot]);
        return ipLens[slot];
    }

    /** The bytes of an address last parsed by {@link #ipParse(String)}. */
    public byte[] ipBytes(String s) {
        return ipKeys[0] == s ? ipBufs[0] : ipBufs[1];
    }

    Ancestor ancestor(int n) {
        if (proc == null || n < 0 || n >= proc.ancestors().size()) return null;
        return proc.ancestors().get(n);
    }

    String containerId() { return containerId; }

    String imageRepository() { return imageRepository; }

    String imageTag() { return imageTag; }

    String image() { return image; }

    /** fd.name, built once per event (socket tuples are assembled). */
    String fdName() {
        if (fdName == null) fdName = FdFields.name(this);
        return fdName;
    }

    /** The path of the file fd in context, or null: fd.directory and fd.filename are regions of it. */
    String fdPath() { return file != null && fdKind == 1 ? file.path() : null; }

    /** End (exclusive) of fd.directory inside {@link #fdPath()}. */
    static int dirEnd(String p) {
        int s = p.lastIndexOf('/');
        return s < 0 ? 0 : s == 0 ? 1 : s;
    }

    /** Start of fd.filename inside {@link #fdPath()}. */
    static int fileStart(String p) {
        return p.lastIndexOf('/') + 1;
    }

    String fdDirectory() {
        if (fdDirectory == null && file != null && fdKind == 1) {
            String p = file.path();
            int s = p.lastIndexOf('/');
            fdDirectory = s < 0 ? "" : s == 0 ? "/" : p.substring(0, s);
        }
        return fdDirectory;
    }

    String fdFilename() {
        if (fdFilename == null && file != null && fdKind == 1) {
            String p = file.path();
            int s = p.lastIndexOf('/');
            fdFilename = s < 0 ? p : p.substring(s + 1);
        }
        return fdFilename;
    }

    /** The local end of the socket in context, or null. */
    SockAddr local() { return net != null ? net.local() : null; }

    /** The remote end of the socket in context (DNS: the server), or null. */
    SockAddr remote() { return net != null ? net.remote() : dns != null ? dns.server() : null; }

    /** True when the local end is the server (accept, bind, listen). */
    boolean localIsServer() {
        if (net == null) return false;
        // not exhaustive on purpose: the op list grows (CONNECT_RESULT) and client-side is the safe default
        return switch (net.op()) {
            case ACCEPT, BIND, LISTEN -> true;
            default -> false;
        };
    }

    ProcCache.Entry procEntry() { return procEntry; }
}
