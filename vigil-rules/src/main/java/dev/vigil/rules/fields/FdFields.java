package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.ArgKind.INDEX_OR_ANY;
import static dev.vigil.rules.fields.ArgKind.NONE;
import static dev.vigil.rules.fields.FieldType.*;

import dev.vigil.event.Event;
import dev.vigil.event.FileOp;
import dev.vigil.event.NetOp;
import dev.vigil.event.SockAddr;
import java.util.List;

/**
 * {@code fd.*}: the file descriptor an event works on. Files: opens (and memfd_create, fchmod, fchown,
 * ftruncate), whose {@code fd.name} is the absolute path. Sockets: {@link NetOp} and DNS messages, whose
 * {@code fd.name} is Falco's tuple {@code lip:lport->rip:rport}. Server and client are derived from the
 * operation: for connect and send the remote end is the server; for accept, bind and listen the local end.
 */
public final class FdFields implements FieldFamily {
    public static final FieldDef NUM = FieldDef.of("fd.num", FieldType.FD, NONE, "The fd number; -1 when the open failed or its result was not observed.");
    public static final FieldDef TYPE = FieldDef.of("fd.type", CHARBUF, NONE, "file, directory, memfd, ipv4, ipv6, unix, netlink.");
    public static final FieldDef TYPECHAR = FieldDef.of("fd.typechar", CHARBUF, NONE, "One letter for fd.type: f, d, m, 4, 6, u, n.");
    public static final FieldDef NAME = FieldDef.of("fd.name", CHARBUF, NONE, "File path, or the socket tuple lip:lport->rip:rport (unix: the path).");
    public static final FieldDef NAMERAW = FieldDef.of("fd.nameraw", CHARBUF, NONE, "fd.name as passed (Vigil: same as fd.name).");
    public static final FieldDef DIRECTORY = FieldDef.of("fd.directory", CHARBUF, NONE, "Directory of a file fd.");
    public static final FieldDef FILENAME = FieldDef.of("fd.filename", CHARBUF, NONE, "Base name of a file fd.");
    public static final FieldDef SOCKFAMILY = FieldDef.of("fd.sockfamily", CHARBUF, NONE, "ip or unix.");
    public static final FieldDef L4PROTO = FieldDef.of("fd.l4proto", CHARBUF, NONE, "tcp, udp, icmp or raw.");
    public static final FieldDef CONNECTED = FieldDef.of("fd.connected", BOOL, NONE, "True for a connected socket (connect succeeded or in progress, accept).");
    public static final FieldDef SIP = FieldDef.of("fd.sip", IPADDR, NONE, "Server IP address.");
    public static final FieldDef CIP = FieldDef.of("fd.cip", IPADDR, NONE, "Client IP address.");
    public static final FieldDef LIP = FieldDef.of("fd.lip", IPADDR, NONE, "Local IP address.");
    public static final FieldDef RIP = FieldDef.of("fd.rip", IPADDR, NONE, "Remote IP address.");
    public static final FieldDef SPORT = FieldDef.of("fd.sport", PORT, NONE, "Server port.");
    public static final FieldDef CPORT = FieldDef.of("fd.cport", PORT, NONE, "Client port.");
    public static final FieldDef LPORT = FieldDef.of("fd.lport", PORT, NONE, "Local port.");
    public static final FieldDef RPORT = FieldDef.of("fd.rport", PORT, NONE, "Remote port.");
    public static final FieldDef IP = FieldDef.any("fd.ip", IPADDR, NONE, "Either end's IP address (matches if client or server matches).");
    public static final FieldDef PORT_ANY = FieldDef.any("fd.port", PORT, NONE, "Either end's port.");
    public static final FieldDef NET = FieldDef.any("fd.net", IPNET, NONE, "Either end's IP, compared with networks (a.b.c.d/n).");
    public static final FieldDef SNET = FieldDef.of("fd.snet", IPNET, NONE, "Server IP, compared with networks.");
    public static final FieldDef CNET = FieldDef.of("fd.cnet", IPNET, NONE, "Client IP, compared with networks.");
    public static final FieldDef LNET = FieldDef.of("fd.lnet", IPNET, NONE, "Local IP, compared with networks.");
    public static final FieldDef RNET = FieldDef.of("fd.rnet", IPNET, NONE, "Remote IP, compared with networks.");
    public static final FieldDef SIP_NAME = FieldDef.any("fd.sip.name", CHARBUF, NONE, "Domain names the server IP was resolved from (DNS seen earlier in the workload).");
    public static final FieldDef CIP_NAME = FieldDef.any("fd.cip.name", CHARBUF, NONE, "Domain names the client IP was resolved from.");
    public static final FieldDef LIP_NAME = FieldDef.any("fd.lip.name", CHARBUF, NONE, "Domain names the local IP was resolved from.");
    public static final FieldDef RIP_NAME = FieldDef.any("fd.rip.name", CHARBUF, NONE, "Domain names the remote IP was resolved from.");
    public static final FieldDef NAME_CHANGED = FieldDef.unfilled("fd.name_changed", BOOL, NONE, "Whether the fd name changed (UDP re-targeting): not tracked.");
    public static final FieldDef TYPES = FieldDef.unfilled("fd.types", LIST, INDEX_OR_ANY, "Types of the process's fds: Vigil keeps no fd table in the rules layer.");
    public static final FieldDef INO = FieldDef.unfilled("fd.ino", UINT64, NONE, "Inode number: not known.");
    public static final FieldDef DEV = FieldDef.unfilled("fd.dev", UINT32, NONE, "Device number: not known.");

    private static final List<FieldDef> FIELDS = List.of(NUM, TYPE, TYPECHAR, NAME, NAMERAW, DIRECTORY, FILENAME,
            SOCKFAMILY, L4PROTO, CONNECTED, SIP, CIP, LIP, RIP, SPORT, CPORT, LPORT, RPORT, IP, PORT_ANY, NET, SNET,
            CNET, LNET, RNET, SIP_NAME, CIP_NAME, LIP_NAME, RIP_NAME, NAME_CHANGED, TYPES, INO, DEV);

    @Override public String name() { return "fd"; }

    @Override public List<FieldDef> fields() { return FIELDS; }

    /** Whether a file operation has an fd (opens and the f* calls), so that fd.* fields apply. */
    static boolean hasFd(FileOp f) {
        return switch (f.op()) {
            case OPEN, MEMFD_CREATE -> true;
            case CHMOD, CHOWN, TRUNCATE -> f.syscall().equals("fchmod") || f.syscall().equals("fchown")
                    || f.syscall().equals("ftruncate");
            default -> false;
        };
    }

    @Override
    public BoundField bind(FieldDef f, String arg) {
        return switch (f.name()) {
            case "fd.num" -> BoundField.num(f, null, FdFields::num);
            case "fd.type" -> BoundField.str(f, null, c -> type(c, false));
            case "fd.typechar" -> BoundField.str(f, null, c -> type(c, true));
            case "fd.name", "fd.nameraw" -> BoundField.str(f, null, EvalContext::fdName);
            case "fd.directory" -> BoundField.region(f, null, EvalContext::fdDirectory, new RegionExtractor() {
                @Override public String base(EvalContext c) { return c.fdPath(); }
                @Override public int start(EvalContext c, String base) { return 0; }
                @Override public int end(EvalContext c, String base) { return EvalContext.dirEnd(base); }
            });
            case "fd.filename" -> BoundField.region(f, null, EvalContext::fdFilename, new RegionExtractor() {
                @Override public String base(EvalContext c) { return c.fdPath(); }
                @Override public int start(EvalContext c, String base) { return EvalContext.fileStart(base); }
                @Override public int end(EvalContext c, String base) { return base.length(); }
            });
            case "fd.sockfamily" -> BoundField.str(f, null, c -> {
                String fam = family(c);
                return fam == null ? null : fam.startsWith("inet") ? "ip" : fam;
            });
            case "fd.l4proto" -> BoundField.str(f, null, FdFields::l4proto);
            case "fd.connected" -> BoundField.num(f, null, FdFields::connected);
            case "fd.sip", "fd.snet" -> BoundField.str(f, null, c -> ip(server(c)));
            case "fd.cip", "fd.cnet" -> BoundField.str(f, null, c -> ip(client(c)));
            case "fd.lip", "fd.lnet" -> BoundField.str(f, null, c -> ip(c.local()));
            case "fd.rip", "fd.rnet" -> BoundField.str(f, null, c -> ip(c.remote()));
            case "fd.sport" -> BoundField.num(f, null, c -> port(server(c)));
            case "fd.cport" -> BoundField.num(f, null, c -> port(client(c)));
            case "fd.lport" -> BoundField.num(f, null, c -> port(c.local()));
            case "fd.rport" -> BoundField.num(f, null, c -> port(c.remote()));
            case "fd.ip", "fd.net" -> BoundField.list(f, null, new Ends(false));
            case "fd.port" -> BoundField.list(f, null, new Ends(true));
            case "fd.sip.name" -> BoundField.list(f, null, new Names(0));
            case "fd.cip.name" -> BoundField.list(f, null, new Names(1));
            case "fd.lip.name" -> BoundField.list(f, null, new Names(2));
            case "fd.rip.name" -> BoundField.list(f, null, new Names(3));
            default -> throw Args.unbound(f);
        };
    }

    private static long num(EvalContext c) {
        if (c.fdKind == 1) {
            FileOp f = c.file;
            if (f.fd() >= 0) return f.fd();
            if (f.res() != Event.RES_UNKNOWN && f.res() >= 0 && (f.op() == FileOp.Op.OPEN || f.op() == FileOp.Op.MEMFD_CREATE)) return f.res();
            return -1;
        }
        if (c.net != null) return c.net.fd();
        return NumExtractor.NO_VALUE;
    }

    private static String family(EvalContext c) {
        if (c.net != null) return c.net.family();
        if (c.dns != null && c.dns.server() != null) return c.dns.server().family();
        return null;
    }

    private static String type(EvalContext c, boolean ch) {
        if (c.fdKind == 1) {
            FileOp f = c.file;
            if (f.op() == FileOp.Op.MEMFD_CREATE) return ch ? "m" : "memfd";
            if (f.op() == FileOp.Op.OPEN && (f.flags() & 0200000) != 0) return ch ? "d" : "directory";
            return ch ? "f" : "file";
        }
        String fam = family(c);
        if (fam == null) return null;
        return switch (fam) {
            case "inet" -> ch ? "4" : "ipv4";
            case "inet6" -> ch ? "6" : "ipv6";
            case "unix" -> ch ? "u" : "unix";
            case "netlink" -> ch ? "n" : "netlink";
            default -> ch ? "o" : fam;
        };
    }

    static String name(EvalContext c) {
        if (c.fdKind == 1) return c.file.path();
        if (c.net != null) {
            NetOp n = c.net;
            if (n.family().equals("unix")) {
                SockAddr a = n.remote() != null ? n.remote() : n.local();
                return a == null ? "" : a.address();
            }
            return tuple(n.family(), n.local(), n.remote());
        }
        if (c.dns != null && c.dns.server() != null) {
            SockAddr s = c.dns.server();
            return tuple(s.family(), null, s);
        }
        return null;
    }

    private static String tuple(String family, SockAddr local, SockAddr remote) {
        if (remote == null) return local == null ? "" : local.toString();
        String l = local != null ? local.toString() : family.equals("inet6") ? "[::]:0" : "0.0.0.0:0";
        return l + "->" + remote;
    }

    private static String l4proto(EvalContext c) {
        if (c.dns != null) return c.dns.transport();
        if (c.net == null) return null;
        NetOp n = c.net;
        if (!n.protocol().isEmpty()) return n.protocol();
        if (n.family().equals("unix")) return null;
        return switch (n.sockType()) {
            case "stream" -> "tcp";
            case "dgram" -> "udp";
            case "raw" -> "raw";
            default -> null;
        };
    }

    private static long connected(EvalContext c) {
        if (c.net == null) return c.dns != null ? 0 : NumExtractor.NO_VALUE;
        NetOp n = c.net;
        return switch (n.op()) {
            case ACCEPT -> 1;
            case SOCKET, BIND, LISTEN, SEND -> 0;
            default -> n.res() == 0 || n.res() == -115 ? 1 : 0; // connect and its result: established or in progress
        };
    }

    static SockAddr server(EvalContext c) { return c.localIsServer() ? c.local() : c.remote(); }

    static SockAddr client(EvalContext c) { return c.localIsServer() ? c.remote() : c.local(); }

    private static String ip(SockAddr a) {
        return a == null || !(a.family().equals("inet") || a.family().equals("inet6")) ? null : a.address();
    }

    private static long port(SockAddr a) {
        return a == null || !(a.family().equals("inet") || a.family().equals("inet6")) ? NumExtractor.NO_VALUE : a.port();
    }

    /**
     * Both ends: client then server. On the client side of a socket (connect, send) a local end of
     * {@code 0.0.0.0:0} / {@code [::]:0} is one the sensor did not learn (the kernel gives a connecting socket
     * an address and port), so it has no value here: Falco knows the real local address at connect exit, and
     * the stock {@code outbound} macro's {@code fd.ip != "0.0.0.0"} (both ends must differ) and
     * {@code fd.port in (..., 0, ...)} would otherwise test the placeholder.
     */
    private record Ends(boolean ports) implements ListExtractor {
        @Override public int size(EvalContext c) { return c.net != null || c.dns != null ? 2 : 0; }

        @Override public String get(EvalContext c, int i) {
            if (i == 0 && unknownLocal(c)) return null;
            SockAddr a = i == 0 ? client(c) : server(c);
            if (ports) {
                long p = port(a);
                return p == NumExtractor.NO_VALUE ? null : Long.toString(p);
            }
            return ip(a);
        }
    }

    private static boolean unknownLocal(EvalContext c) {
        if (c.net == null || c.localIsServer()) return false;
        SockAddr l = c.local();
        return l != null && l.port() == 0 && (l.address().equals("0.0.0.0") || l.address().equals("::"));
    }

    /** Names of one end's address: 0 server, 1 client, 2 local, 3 remote; only the remote end has names. */
    private record Names(int end) implements ListExtractor {
        private boolean isRemote(EvalContext c) {
            return switch (end) {
                case 0 -> !c.localIsServer();
                case 1 -> c.localIsServer();
                case 2 -> false;
                default -> true;
            };
        }

        @Override public int size(EvalContext c) {
            return c.net != null && isRemote(c) ? c.net.remoteNames().size() : 0;
        }

        @Override public String get(EvalContext c, int i) { return c.net.remoteNames().get(i); }
    }
}
