package dev.vigil.event;

import java.util.Map;

/**
 * Something the sensor itself reports in the event stream: start (capture mode, kernel features), loss,
 * errors counted, summary at exit. {@code process} is the root workload process when there is one.
 */
public record SensorNotice(EventHeader header, ProcessInfo process, String what, String message,
                           Map<String, Long> counters) implements Event {
    public SensorNotice {
        counters = counters == null ? Map.of() : Map.copyOf(counters);
    }
    @Override public String kind() { return "sensor." + what; }
    @Override public String evtType() { return "sensor"; }
}
