package dev.vigil.event;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden tests of the wire format: a change here is a schema change (docs/EVENTS.md, SCHEMA_VERSION). */
class EventJsonTest {
    static final Workload W = new Workload("shop", "abc123def456", "shop", "acme/shop", "1.2", "p1", "prod", "none",
            Map.of("team", "a"));
    static final ProcessInfo P = new ProcessInfo(42, 43, 1, "sh", "/usr/bin/dash", List.of("sh", "-c", "id"), false,
            "/srv", 1000, 1000, 1000, 1000, 40, 41, -1, null, 5, List.of(new Ancestor(1, "init", "/sbin/init", List.of("init", "--x"))));

    @Test
    void process_exec_golden() {
        String json = new EventJson().toJson(new ProcessExec(new EventHeader(1, 7, 123, "s1", W), P, "execve", 0, false));
        assertThat(json).isEqualTo("{\"schema\":1,\"id\":\"s1-7\",\"seq\":7,\"time_ns\":123,\"kind\":\"process.exec\","
                + "\"evt_type\":\"execve\",\"sensor\":\"s1\",\"workload\":{\"name\":\"shop\",\"container_id\":\"abc123def456\","
                + "\"container_name\":\"shop\",\"image\":\"acme/shop\",\"image_tag\":\"1.2\",\"project\":\"p1\","
                + "\"environment\":\"prod\",\"cloud\":\"none\",\"labels\":{\"team\":\"a\"}},\"proc\":{\"pid\":42,\"tid\":43,"
                + "\"ppid\":1,\"name\":\"sh\",\"exe_path\":\"/usr/bin/dash\",\"argv\":[\"sh\",\"-c\",\"id\"],\"cwd\":\"/srv\","
                + "\"uid\":1000,\"gid\":1000,\"euid\":1000,\"egid\":1000,\"sid\":40,\"pgid\":41,\"start_time_ns\":5,"
                + "\"ancestors\":[{\"pid\":1,\"name\":\"init\",\"exe_path\":\"/sbin/init\",\"cmdline\":\"init --x\"}]},"
                + "\"syscall\":\"execve\",\"fileless\":false}");
    }

    @Test
    void an_executable_written_by_the_workload_is_marked_and_only_then() {
        EventHeader h = new EventHeader(1, 1, 1, "s", W);
        String json = new EventJson().toJson(new ProcessExec(h, P.withExeSha256("ab").withExeWritten(true), "execve", 0, false));
        assertThat(json).contains("\"exe_path\":\"/usr/bin/dash\",\"exe_sha256\":\"ab\",\"exe_written\":true,\"argv\"");
        assertThat(new EventJson().toJson(new ProcessExec(h, P, "execve", 0, false))).doesNotContain("exe_written");
        assertThat(P.withExeWritten(true).withTid(44).withCwd("/x").exeWritten()).isTrue();
    }

    @Test
    void exit_and_failed_exec_carry_their_outcome() {
        EventJson j = new EventJson();
        EventHeader h = new EventHeader(1, 1, 1, "s", W);
        assertThat(j.toJson(new ProcessExit(h, P, -1, 9, false))).contains("\"signal\":9,\"core_dumped\":false").doesNotContain("exit_code");
        assertThat(j.toJson(new ProcessExit(h, P, 3, 0, false))).contains("\"exit_code\":3");
        assertThat(j.toJson(new ProcessExecFailed(h, P, "execve", "/x", List.of("x"), 13)))
                .contains("\"path\":\"/x\",\"argv\":[\"x\"],\"errno\":13,\"error\":\"EACCES\"");
    }

    @Test
    void an_ancestors_argv_is_bounded() {
        Ancestor a = new Ancestor(1, "agent", "/x", List.of("agent", "--env", "y".repeat(5000), "--more"));
        assertThat(a.argv()).hasSize(3);
        assertThat(a.argv().get(2)).endsWith("...").hasSizeLessThan(Ancestor.MAX_ARGV_CHARS + 4);
        assertThat(a.cmdline().length()).isLessThanOrEqualTo(Ancestor.MAX_ARGV_CHARS + 8);
        assertThat(new Ancestor(1, "sh", "/bin/sh", List.of("sh", "-c", "x")).argv()).containsExactly("sh", "-c", "x");
    }

    @Test
    void strings_are_escaped() {
        ProcessInfo odd = new ProcessInfo(1, 1, 0, "a\"b", null, List.of("a\nb\u0001"), true, null, 0, 0, 0, 0, 0, 0, -1, null, 0, List.of());
        String json = new EventJson().toJson(new ProcessExit(new EventHeader(1, 1, 1, "s", W), odd, 0, 0, false));
        assertThat(json).contains("\"name\":\"a\\\"b\"").contains("\"argv\":[\"a\\nb\\u0001\"],\"argv_truncated\":true");
    }
}
