package dev.vigil.rules.fields;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * User and group names by id ({@code user.name}, {@code group.name}, {@code user.loginname}), read once at
 * start from the workload's {@code /etc/passwd} and {@code /etc/group}; lookups are a binary search on int
 * arrays, so they neither box nor allocate. Immutable.
 */
public final class UserDb {
    /** A user entry. */
    public record User(int uid, String name, String home, String shell) {}

    private final int[] uids;
    private final User[] users;
    private final int[] gids;
    private final String[] groups;

    private UserDb(Map<Integer, User> users, Map<Integer, String> groups) {
        TreeMap<Integer, User> u = new TreeMap<>(users);
        TreeMap<Integer, String> g = new TreeMap<>(groups);
        this.uids = u.keySet().stream().mapToInt(Integer::intValue).toArray();
        this.users = u.values().toArray(User[]::new);
        this.gids = g.keySet().stream().mapToInt(Integer::intValue).toArray();
        this.groups = g.values().toArray(String[]::new);
    }

    /** Only root (uid and gid 0), for when no passwd file is readable. */
    public static UserDb rootOnly() {
        return of(Map.of(0, new User(0, "root", "/root", "/bin/sh")), Map.of(0, "root"));
    }

    public static UserDb of(Map<Integer, User> users, Map<Integer, String> groups) {
        return new UserDb(users, groups);
    }

    /** Reads passwd(5) and group(5) files; a missing or unreadable file gives root only for that table. */
    public static UserDb load(Path passwd, Path group) {
        Map<Integer, User> users = new TreeMap<>();
        Map<Integer, String> groups = new TreeMap<>();
        users.put(0, new User(0, "root", "/root", "/bin/sh"));
        groups.put(0, "root");
        for (String line : lines(passwd)) {
            String[] f = line.split(":", -1);
            if (f.length >= 7) {
                try { users.put(Integer.parseInt(f[2]), new User(Integer.parseInt(f[2]), f[0], f[5], f[6])); }
                catch (NumberFormatException ignored) { /* malformed line: skip */ }
            }
        }
        for (String line : lines(group)) {
            String[] f = line.split(":", -1);
            if (f.length >= 3) {
                try { groups.put(Integer.parseInt(f[2]), f[0]); } catch (NumberFormatException ignored) { /* skip */ }
            }
        }
        return new UserDb(users, groups);
    }

    private static List<String> lines(Path p) {
        try { return p == null ? List.of() : Files.readAllLines(p); } catch (IOException e) { return List.of(); }
    }

    /** The user with this uid, or null. */
    public User user(long uid) {
        if (uid < Integer.MIN_VALUE || uid > Integer.MAX_VALUE) return null;
        int i = Arrays.binarySearch(uids, (int) uid);
        return i >= 0 ? users[i] : null;
    }

    /** The group name for this gid, or null. */
    public String group(long gid) {
        if (gid < Integer.MIN_VALUE || gid > Integer.MAX_VALUE) return null;
        int i = Arrays.binarySearch(gids, (int) gid);
        return i >= 0 ? groups[i] : null;
    }
}
