package dev.vigil.capture.linux;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SyscallNrTest {
    /** Every number the bindings use is the one the machine's kernel headers give (they are typed in by hand). */
    @Test
    void numbers_match_the_kernel_headers_of_this_machine() throws Exception {
        String arch = System.getProperty("os.arch");
        Path header = arch.equals("amd64") || arch.equals("x86_64")
                ? Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h")
                : Path.of("/usr/include/asm-generic/unistd.h");
        Assumptions.assumeTrue(Files.isReadable(header), "no kernel headers at " + header);
        Map<String, Long> fromHeader = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#define __NR_(\\w+)\\s+(\\d+)\\s*$").matcher(Files.readString(header));
        while (m.find()) fromHeader.put(m.group(1), Long.parseLong(m.group(2)));

        int checked = 0;
        for (Field f : SyscallNr.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != long.class) continue;
            String name = f.getName().toLowerCase(Locale.ROOT);
            if (name.equals("at_fdcwd") || name.equals("sigset_size")) continue;
            f.setAccessible(true);
            assertThat(f.getLong(null)).as("__NR_" + name).isEqualTo(fromHeader.get(name));
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void the_shared_syscall_shape_reaches_the_kernel() {
        try (var a = java.lang.foreign.Arena.ofConfined()) {
            Libc libc = new Libc(a);
            assertThat(Libc.getpid()).isEqualTo((int) ProcessHandle.current().pid());
            assertThat(Libc.gettid()).isPositive();
            // errors come back as -errno: no child to wait for, a bad fd, a path that does not exist
            assertThat(libc.waitpid(-1, Libc.WNOHANG)).isEqualTo(-Errnos.ECHILD);
            assertThat(libc.close(-1)).isEqualTo(-Errnos.EBADF);
            assertThat(libc.openReadOnly(a.allocateFrom("/nonexistent-vigil"))).isEqualTo(-Errnos.ENOENT);
            // a real read through openat/read/close and a readlink through readlinkat
            int fd = libc.openReadOnly(a.allocateFrom("/proc/self/stat"));
            assertThat(fd).isNotNegative();
            var buf = a.allocate(4096);
            long n = libc.read(fd, buf, 4096);
            assertThat(libc.close(fd)).isZero();
            String stat = new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            assertThat(stat.split(" ")[0]).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
            long len = libc.readlink(a.allocateFrom("/proc/self"), buf);
            assertThat(buf.asSlice(0, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                    .asString().isEqualTo(String.valueOf(ProcessHandle.current().pid()));
            // poll with a timeout on an eventfd nobody signals: 0 ready
            int efd = libc.eventfdOrThrow();
            var pfd = a.allocate(8);
            pfd.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, efd);
            pfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
            assertThat(libc.poll(pfd, 1, 10)).isZero();
            Libc.signalEventfd(efd);
            assertThat(libc.poll(pfd, 1, 1000)).isEqualTo(1);
            libc.close(efd);
        }
    }
}
