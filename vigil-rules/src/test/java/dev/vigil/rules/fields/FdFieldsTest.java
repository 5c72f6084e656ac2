package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.FieldProbe.value;
import static dev.vigil.rules.testing.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.Event;
import dev.vigil.event.FileOp;
import org.junit.jupiter.api.Test;

class FdFieldsTest {

    @Test
    void file_open() {
        Event e = open(proc("cat"), "/etc/ssh/sshd_config", O_RDONLY);
        assertThat(value("fd.name", e)).isEqualTo("/etc/ssh/sshd_config");
        assertThat(value("fd.nameraw", e)).isEqualTo("/etc/ssh/sshd_config");
        assertThat(value("fd.directory", e)).isEqualTo("/etc/ssh");
        assertThat(value("fd.filename", e)).isEqualTo("sshd_config");
        assertThat(value("fd.type", e)).isEqualTo("file");
        assertThat(value("fd.typechar", e)).isEqualTo("f");
        assertThat(value("fd.num", e)).isEqualTo("3");
        assertThat(value("fd.directory", open(proc("cat"), "/x", O_RDONLY))).isEqualTo("/");
        assertThat(value("fd.typechar", open(proc("ls"), "/etc", O_RDONLY | O_DIRECTORY))).isEqualTo("d");
        assertThat(value("fd.num", openFailed(proc("cat"), "/x", O_RDONLY, 2))).isEqualTo("-1");
        assertThat(value("fd.typechar", memfd(proc("x"), "memfd:payload"))).isEqualTo("m");
    }

    @Test
    void file_ops_without_an_fd_have_no_fd_fields_but_fs_path_fields() {
        Event mv = fileOp(proc("mv"), "renameat2", FileOp.Op.RENAME, "/usr/bin/ls", "/tmp/ls");
        assertThat(value("fd.name", mv)).isNull();
        assertThat(value("fs.path.name", mv)).isEqualTo("/usr/bin/ls");
        assertThat(value("fs.path.source", mv)).isEqualTo("/usr/bin/ls");
        assertThat(value("fs.path.target", mv)).isEqualTo("/tmp/ls");
        assertThat(value("fs.path.target", open(proc("x"), "/a", 0))).isNull();
    }

    @Test
    void connect_tuple_and_endpoints() {
        Event e = connect(proc("curl"), "169.254.170.2", 80, "task-metadata.local");
        assertThat(value("fd.name", e)).isEqualTo("172.17.0.5:41000->169.254.170.2:80");
        assertThat(value("fd.type", e)).isEqualTo("ipv4");
        assertThat(value("fd.typechar", e)).isEqualTo("4");
        assertThat(value("fd.sockfamily", e)).isEqualTo("ip");
        assertThat(value("fd.l4proto", e)).isEqualTo("tcp");
        assertThat(value("fd.sip", e)).isEqualTo("169.254.170.2");
        assertThat(value("fd.rip", e)).isEqualTo("169.254.170.2");
        assertThat(value("fd.cip", e)).isEqualTo("172.17.0.5");
        assertThat(value("fd.lip", e)).isEqualTo("172.17.0.5");
        assertThat(value("fd.sport", e)).isEqualTo("80");
        assertThat(value("fd.cport", e)).isEqualTo("41000");
        assertThat(value("fd.lport", e)).isEqualTo("41000");
        assertThat(value("fd.rport", e)).isEqualTo("80");
        assertThat(value("fd.sip.name", e)).isEqualTo("task-metadata.local");
        assertThat(value("fd.rip.name", e)).isEqualTo("task-metadata.local");
        assertThat(value("fd.cip.name", e)).isNull();
        assertThat(value("fd.connected", e)).isEqualTo("true");
        assertThat(value("fd.num", e)).isEqualTo("7");
        assertThat(value("fd.ip", e)).isEqualTo("172.17.0.5,169.254.170.2");
        assertThat(value("fd.port", e)).isEqualTo("41000,80");
    }

    @Test
    void an_unknown_local_end_of_a_client_socket_is_not_an_end_of_fd_ip_or_fd_port() {
        // as the sensor reports a connect: the local end not learned, 0.0.0.0:0 (printed so in fd.name)
        Event tcp = new dev.vigil.event.NetOp(header(), proc("ssh").build(), "connect", dev.vigil.event.NetOp.Op.CONNECT, 3,
                "inet", "stream", "tcp", new dev.vigil.event.SockAddr("inet", "0.0.0.0", 0),
                new dev.vigil.event.SockAddr("inet", "198.51.100.7", 4444), java.util.List.of(), -115);
        assertThat(value("fd.name", tcp)).isEqualTo("0.0.0.0:0->198.51.100.7:4444");
        assertThat(value("fd.ip", tcp)).isEqualTo("198.51.100.7");
        assertThat(value("fd.port", tcp)).isEqualTo("4444");
        assertThat(value("fd.lport", tcp)).isEqualTo("0");
        // the stock outbound macro: both ends must differ from 0.0.0.0 (Falco's != on fd.ip)
        assertThat(dev.vigil.rules.testing.TestEngine.matches("evt.type = connect and fd.ip != \"0.0.0.0\" and fd.net != \"127.0.0.0/8\""
                + " and (evt.rawres >= 0 or evt.res = EINPROGRESS)", tcp)).isTrue();
        Event udp = new dev.vigil.event.NetOp(header(), proc("python3").build(), "connect", dev.vigil.event.NetOp.Op.CONNECT, 3,
                "inet6", "dgram", "udp", new dev.vigil.event.SockAddr("inet6", "::", 0),
                new dev.vigil.event.SockAddr("inet6", "2001:db8::7", 9999), java.util.List.of(), 0);
        assertThat(dev.vigil.rules.testing.TestEngine.matches("evt.type = connect and fd.port in (0, 9, 80)", udp)).isFalse();
        assertThat(dev.vigil.rules.testing.TestEngine.matches("evt.type = connect and fd.port in (9999)", udp)).isTrue();
        // a wildcard local end on the server side stays an end: listen on 0.0.0.0 is excluded by the stock macros
        assertThat(dev.vigil.rules.testing.TestEngine.matches("evt.type = listen and fd.ip != \"0.0.0.0\"", listen(proc("nginx"), 80))).isFalse();
    }

    @Test
    void accept_makes_the_local_end_the_server() {
        Event e = accept(proc("nginx"), "203.0.113.9", 51515, 443);
        assertThat(value("fd.sip", e)).isEqualTo("172.17.0.5");
        assertThat(value("fd.sport", e)).isEqualTo("443");
        assertThat(value("fd.cip", e)).isEqualTo("203.0.113.9");
        assertThat(value("fd.cport", e)).isEqualTo("51515");
    }

    @Test
    void ipv6_and_unix_and_dns() {
        Event v6 = connect(proc("curl"), "fd00:ec2::254", 80);
        assertThat(value("fd.type", v6)).isEqualTo("ipv6");
        assertThat(value("fd.name", v6)).isEqualTo("[fd00::5]:41000->[fd00:ec2::254]:80");
        Event u = socket(proc("x"), "unix", "stream");
        assertThat(value("fd.typechar", u)).isEqualTo("u");
        assertThat(value("fd.l4proto", u)).isNull();
        Event dns = dnsQuery(proc("java"), "example.com");
        assertThat(value("fd.rip", dns)).isEqualTo("169.254.169.253");
        assertThat(value("fd.rport", dns)).isEqualTo("53");
        assertThat(value("fd.l4proto", dns)).isEqualTo("udp");
    }

    @Test
    void non_fd_events_have_no_fd_values() {
        Event e = exec(proc("x"));
        assertThat(value("fd.name", e)).isNull();
        assertThat(value("fd.num", e)).isNull();
        assertThat(value("fd.sip", e)).isNull();
        assertThat(value("fd.types", e)).isNull();
        assertThat(value("fd.name_changed", e)).isNull();
    }
}
