package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.FieldProbe.value;
import static dev.vigil.rules.testing.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserFieldsTest {

    @Test
    void names_come_from_the_user_db() {
        var e = exec(proc("x").user(33).group(33).loginUid(1000));
        assertThat(value("user.uid", e)).isEqualTo("33");
        assertThat(value("user.name", e)).isEqualTo("www-data");
        assertThat(value("user.homedir", e)).isEqualTo("/var/www");
        assertThat(value("user.shell", e)).isEqualTo("/usr/sbin/nologin");
        assertThat(value("user.loginuid", e)).isEqualTo("1000");
        assertThat(value("user.loginname", e)).isEqualTo("app");
        assertThat(value("group.gid", e)).isEqualTo("33");
        assertThat(value("group.name", e)).isEqualTo("www-data");
    }

    @Test
    void unknown_users_and_unset_login_uid() {
        var e = exec(proc("x").user(4321));
        assertThat(value("user.uid", e)).isEqualTo("4321");
        assertThat(value("user.name", e)).isNull();
        assertThat(value("user.loginuid", e)).isEqualTo("-1");
        assertThat(value("user.loginname", e)).isNull();
    }

    @Test
    void user_db_reads_passwd_and_group_files(@TempDir Path dir) throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nnode:x:1000:1000::/home/node:/bin/sh\nbroken\n");
        Path group = Files.writeString(dir.resolve("group"), "root:x:0:\nnode:x:1000:\n");
        UserDb db = UserDb.load(passwd, group);
        assertThat(db.user(1000).name()).isEqualTo("node");
        assertThat(db.group(1000)).isEqualTo("node");
        assertThat(UserDb.load(dir.resolve("missing"), null).user(0).name()).isEqualTo("root");
    }
}
