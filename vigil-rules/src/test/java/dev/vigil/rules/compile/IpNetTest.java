package dev.vigil.rules.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IpNetTest {

    @Test
    void networks_contain_their_addresses() {
        IpNet n = IpNet.parse("10.0.0.0/8");
        byte[] buf = new byte[16];
        assertThat(n.contains(buf, IpNet.parseAddr("10.200.3.4", buf))).isTrue();
        assertThat(n.contains(buf, IpNet.parseAddr("11.0.0.1", buf))).isFalse();
        assertThat(IpNet.parse("172.16.0.0/12").contains(buf, IpNet.parseAddr("172.31.255.255", buf))).isTrue();
        assertThat(IpNet.parse("172.16.0.0/12").contains(buf, IpNet.parseAddr("172.32.0.1", buf))).isFalse();
        assertThat(IpNet.parse("fd00::/8").contains(buf, IpNet.parseAddr("fd00:ec2::254", buf))).isTrue();
        assertThat(IpNet.parse("169.254.169.254").contains(buf, IpNet.parseAddr("169.254.169.254", buf))).isTrue();
        assertThat(IpNet.parse("10.0.0.0/8").contains(buf, IpNet.parseAddr("::ffff:10.0.0.1", buf))).as("families differ").isFalse();
    }

    @Test
    void malformed_input_is_rejected() {
        byte[] buf = new byte[16];
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "a.b.c.d", "1:2:3", ":::", "1::2::3", "12345::", "10.0.0.0/33"}) {
            assertThat(IpNet.parse(bad)).as(bad).isNull();
        }
        assertThat(IpNet.parseAddr("1:2:3:4:5:6:7:8:9", buf)).isEqualTo(-1);
    }

    /** Random IPv4 and IPv6 addresses, printed by the JDK, parse to the JDK's bytes. */
    @Test
    void parses_like_the_jdk_on_random_addresses() throws Exception {
        long seed = Long.getLong("vigil.seed", System.nanoTime());
        Random r = new Random(seed);
        byte[] buf = new byte[16];
        for (int n = 0; n < 5000; n++) {
            byte[] raw = new byte[r.nextBoolean() ? 4 : 16];
            r.nextBytes(raw);
            if (raw.length == 16 && r.nextBoolean()) for (int i = 4; i < 4 + r.nextInt(10); i++) raw[i] = 0; // runs of zeros: '::'
            InetAddress a = InetAddress.getByAddress(raw);
            String text = a.getHostAddress();
            if (raw.length == 16 && a instanceof java.net.Inet4Address) continue; // v4-mapped prints as v4
            int len = IpNet.parseAddr(text, buf);
            assertThat(len).as("seed %d: %s", seed, text).isEqualTo(a.getAddress().length);
            assertThat(java.util.Arrays.copyOf(buf, len)).as("seed %d: %s", seed, text).isEqualTo(a.getAddress());
        }
    }
}
