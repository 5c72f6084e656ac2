package dev.vigil.capture;

import dev.vigil.capture.syscall.Sys;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What to run and how to watch it.
 *
 * @param executable   the resolved executable (see {@code spawn.CommandResolver})
 * @param argv         argv for it, argv[0] as the user gave it
 * @param requested    the capture mode asked for; null = the best the kernel offers
 * @param watched      syscalls the {@link SyscallHandler} wants (exec is always watched by the tracer itself)
 * @param onlyIfArgSet for some watched syscalls, the index of an argument that must be non-zero for the call
 *                     to be handed over (tested in the BPF filter)
 * @param needExit     watched syscalls whose result the handler needs: delivered as ptrace stops with an exit
 *                     stop in every mode (for rare syscalls, where a stop costs less than emulating them)
 * @param failClosed   true: the workload is killed if the sensor dies (PTRACE_O_EXITKILL); false: it goes on
 * @param pid1         true when Vigil is PID 1 of its namespace: the workload's exit ends the session at once
 */
public record CaptureConfig(Path executable, List<String> argv, CaptureMode requested, Set<Sys> watched,
                            java.util.Map<Sys, Integer> onlyIfArgSet, Set<Sys> needExit, boolean failClosed,
                            boolean pid1) {
    /** Watching syscalls at entry only, with no argument tests. */
    public CaptureConfig(Path executable, List<String> argv, CaptureMode requested, Set<Sys> watched,
                         boolean failClosed, boolean pid1) {
        this(executable, argv, requested, watched, java.util.Map.of(), Set.of(), failClosed, pid1);
    }

    public CaptureConfig {
        argv = List.copyOf(argv);
        watched = Set.copyOf(watched);
        onlyIfArgSet = java.util.Map.copyOf(onlyIfArgSet);
        needExit = Set.copyOf(needExit);
        if (argv.isEmpty()) throw new IllegalArgumentException("argv must hold at least argv[0]");
    }
}
