package org.rollbook.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * A waiting run's progress on stderr. On a terminal, one line rewritten in place; otherwise (a log file, CI)
 * a line when the status changes, and one every {@code every} while it does not.
 */
final class Progress {
    private final PrintStream err;
    private final boolean terminal;
    private final long everyNanos;
    private final long start = System.nanoTime();
    private String lastStatus;
    private long lastPrinted;
    private int shown;

    Progress(PrintStream err, boolean terminal, Duration every) {
        this.err = err;
        this.terminal = terminal;
        this.everyNanos = every.toNanos();
    }

    void update(Map<String, Object> op) {
        long now = System.nanoTime();
        String line = "operation " + Json.str(op, "id") + " " + Views.progress(op) + ", "
                + Views.duration(Duration.ofNanos(now - start));
        if (terminal) {
            String padded = line.length() < shown ? line + " ".repeat(shown - line.length()) : line;
            err.print("\r" + padded);
            err.flush();
            shown = line.length();
            return;
        }
        String status = Json.str(op, "status");
        if (!status.equals(lastStatus) || now - lastPrinted >= everyNanos) {
            err.println(line);
            err.flush();
            lastPrinted = now;
        }
        lastStatus = status;
    }

    /** Leaves the terminal line so what follows starts on a clean one. */
    void end() {
        if (terminal && shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }
}
