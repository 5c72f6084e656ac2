package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the built {@code vigil.jar} as a separate process, the way a user does, and reads back what it saw.
 * (The tracer must not share a JVM with ProcessBuilder children: its waitpid(-1) would take them.)
 */
final class Vigil {
    static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory",
            Path.of("").toAbsolutePath().getParent().toString()));
    static final Path JAR = ROOT.resolve("vigil-cli/target/vigil.jar");
    static final Path STUB = ROOT.resolve("vigil-capture/target/classes/dev/vigil/capture/spawn/vigil-exec-stub");
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run produced. */
    record Result(int exitCode, String stdout, String stderr, List<JsonNode> events) {
        List<JsonNode> kind(String kind) {
            return events.stream().filter(e -> e.path("kind").asText().equals(kind)).toList();
        }

        List<JsonNode> execsOf(String exePath) {
            return kind("process.exec").stream().filter(e -> e.path("proc").path("exe_path").asText().equals(exePath)).toList();
        }

        List<JsonNode> where(Predicate<JsonNode> p) {
            return events.stream().filter(p).toList();
        }
    }

    /** The java command that starts the sensor as ./vigil does (signals blocked, -Xrs). */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(STUB.toString());
        cmd.add("launch");
        cmd.add(JAVA.toString());
        cmd.add("-Xrs");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-jar");
        cmd.add(JAR.toString());
        return cmd;
    }

    static ProcessBuilder builder(Path events, List<String> vigilArgs, List<String> workload) {
        List<String> cmd = javaCommand();
        cmd.add("run");
        if (events != null) {
            cmd.add("--events");
            cmd.add(events.toString());
        }
        cmd.addAll(vigilArgs);
        cmd.add("--");
        cmd.addAll(workload);
        return new ProcessBuilder(cmd);
    }

    static Result run(Path tmp, List<String> vigilArgs, List<String> workload) throws IOException, InterruptedException {
        return run(tmp, vigilArgs, workload, null);
    }

    static Result run(Path tmp, List<String> vigilArgs, List<String> workload, String stdin)
            throws IOException, InterruptedException {
        Path events = Files.createTempFile(tmp, "events", ".jsonl");
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = builder(events, vigilArgs, workload).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("vigil run did not finish: " + workload);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err), readEvents(events));
    }

    static List<JsonNode> readEvents(Path events) throws IOException {
        List<JsonNode> list = new ArrayList<>();
        for (String line : Files.readAllLines(events)) if (!line.isBlank()) list.add(JSON.readTree(line));
        return list;
    }

    /** Compiles a test program from src/test/c once per build; returns the binary. */
    static synchronized Path compile(String name, String... extraFlags) throws IOException, InterruptedException {
        Path src = ROOT.resolve("vigil-cli/src/test/c/" + name + ".c");
        Path bin = ROOT.resolve("vigil-cli/target/test-bin/" + name);
        if (Files.exists(bin) && Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(src)) > 0) return bin;
        Files.createDirectories(bin.getParent());
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-pthread", "-o", bin.toString(), src.toString()));
        cmd.addAll(List.of(extraFlags));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) throw new AssertionError("gcc failed for " + name);
        return bin;
    }
}
