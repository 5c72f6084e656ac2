package dev.vigil.rules.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes one alert per line to stdout or an appended file; flushes after each alert. */
public final class StreamSink implements AlertSink {
    private final Writer out;
    private final Format format;
    private final boolean closeOut;
    private long failures;

    private StreamSink(Writer out, Format format, boolean closeOut) {
        this.out = out;
        this.format = format;
        this.closeOut = closeOut;
    }

    /** Alerts to standard output. */
    public static StreamSink stdout(Format format) {
        return new StreamSink(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), format, false);
    }

    /** Alerts to any stream (not closed by {@link #close()}). */
    public static StreamSink of(OutputStream os, Format format) {
        return new StreamSink(new OutputStreamWriter(os, StandardCharsets.UTF_8), format, false);
    }

    /** Alerts appended to a file, created if missing. */
    public static StreamSink file(Path path, Format format) throws IOException {
        BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        return new StreamSink(w, format, true);
    }

    @Override
    public synchronized void send(Alert alert) {
        try {
            out.write(format.render(alert));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            failures++;
        }
    }

    @Override public synchronized long failures() { return failures; }

    @Override
    public synchronized void close() {
        try {
            if (closeOut) out.close(); else out.flush();
        } catch (IOException e) {
            failures++;
        }
    }
}
