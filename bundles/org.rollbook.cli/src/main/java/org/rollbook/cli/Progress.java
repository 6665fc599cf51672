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
    private volatile int shown;
    private volatile String id;
    private boolean hooked;
    /** On Ctrl-C (or a CI timeout's SIGTERM) while waiting: say that the run itself goes on. */
    private final Thread interrupted = new Thread(this::stopped);

    Progress(PrintStream err, boolean terminal, Duration every) {
        this.err = err;
        this.terminal = terminal;
        this.everyNanos = every.toNanos();
    }

    void update(Map<String, Object> op) {
        long now = System.nanoTime();
        String line = "operation " + Json.str(op, "id") + " " + Views.progress(op) + ", "
                + Views.duration(Duration.ofNanos(now - start));
        id = Json.str(op, "id");
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(interrupted);
            hooked = true;
        }
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

    private void stopped() {
        err.println((shown > 0 ? "\n" : "") + "rollbook: stopped waiting; operation " + id + " goes on (rollbook cancel " + id
                + " stops it)");
        err.flush();
    }

    /** Leaves the terminal line so what follows starts on a clean one. */
    void end() {
        if (hooked) {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            hooked = false;
        }
        if (terminal && shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }
}
