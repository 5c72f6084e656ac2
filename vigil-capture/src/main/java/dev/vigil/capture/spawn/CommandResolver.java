package dev.vigil.capture.spawn;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a command the way a POSIX shell does (a name with '/' is a path, else the first match on PATH), so
 * that "not found" and "not executable" are reported clearly, with the shell's exit codes, before anything is
 * spawned.
 */
public final class CommandResolver {
    /** A command that cannot be run; {@code exitCode} is the one a shell would give (127 or 126). */
    public static final class CommandException extends RuntimeException {
        private final int exitCode;

        public CommandException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private CommandResolver() {}

    public static Path resolve(String command, String pathEnv) {
        if (command.isEmpty()) throw new CommandException("empty command", 127);
        if (command.indexOf('/') >= 0) {
            Path p = Path.of(command);
            if (!Files.exists(p)) throw new CommandException(command + ": no such file or directory", 127);
            if (Files.isDirectory(p)) throw new CommandException(command + ": is a directory", 126);
            if (!Files.isExecutable(p)) throw new CommandException(command + ": permission denied", 126);
            return p;
        }
        Path denied = null;
        for (String dir : (pathEnv == null || pathEnv.isEmpty() ? "/usr/local/bin:/usr/bin:/bin" : pathEnv).split(":", -1)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(p)) {
                if (Files.isExecutable(p)) return p;
                if (denied == null) denied = p;
            }
        }
        if (denied != null) throw new CommandException(denied + ": permission denied", 126);
        throw new CommandException(command + ": command not found", 127);
    }
}
