package dev.vigil.capture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of the capture threads; read at any time from any thread (summary, metrics). */
public final class CaptureStats {
    public final AtomicLong ptraceStops = new AtomicLong();
    public final AtomicLong seccompStops = new AtomicLong();
    public final AtomicLong syscallStops = new AtomicLong();
    public final AtomicLong notifications = new AtomicLong();
    public final AtomicLong notificationsStale = new AtomicLong();
    public final AtomicLong denied = new AtomicLong();
    public final AtomicLong foreignArchSyscalls = new AtomicLong();
    public final AtomicLong signalsReinjected = new AtomicLong();
    public final AtomicLong groupStops = new AtomicLong();
    public final AtomicLong signalsForwarded = new AtomicLong();
    public final AtomicLong tasksSeen = new AtomicLong();
    public final AtomicLong handlerErrors = new AtomicLong();
    public final AtomicLong sinkErrors = new AtomicLong();
    public final AtomicLong internalErrors = new AtomicLong();

    /** Name → value, in a stable order, for summaries and the sensor's exit notice. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("ptrace_stops", ptraceStops.get());
        m.put("seccomp_trace_stops", seccompStops.get());
        m.put("syscall_stops", syscallStops.get());
        m.put("notifications", notifications.get());
        m.put("notifications_stale", notificationsStale.get());
        m.put("syscalls_denied", denied.get());
        m.put("foreign_arch_syscalls", foreignArchSyscalls.get());
        m.put("signals_reinjected", signalsReinjected.get());
        m.put("group_stops", groupStops.get());
        m.put("signals_forwarded", signalsForwarded.get());
        m.put("tasks_seen", tasksSeen.get());
        m.put("handler_errors", handlerErrors.get());
        m.put("sink_errors", sinkErrors.get());
        m.put("internal_errors", internalErrors.get());
        return m;
    }
}
