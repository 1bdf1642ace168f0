package dev.dlx.cli;

import dev.dlx.runtime.run.Runner;
import dev.dlx.runtime.train.StopSignal;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during `dlxc run`, caught as a signal rather than in a shutdown hook: the first one asks
 * the training to stop after its current batch, and the main thread then saves `last`, writes the
 * epoch records and draws the learning curves while the JVM still runs normally (in a shutdown
 * hook, drawing fails with "Shutdown in progress"); a second Ctrl-C ends the process at once.
 */
final class Interrupts {
    private Interrupts() {}

    /**
     * A second SIGINT this soon after the first is the same request: a signal sent to the process
     * and to its process group (as `timeout -s INT` does) arrives twice.
     */
    private static final long SAME_PRESS_NANOS = 1_000_000_000L;

    /** The installed handler; closing it puts the previous one back. */
    interface Installed extends AutoCloseable {
        @Override void close();
    }

    /** Installs the handler. Where SIGINT cannot be caught (`-Xrs`), does nothing. */
    static Installed onCtrlC(StopSignal stop, PrintStream err) {
        return onCtrlC(stop, err, "\ndlxc: stopping after the current batch and saving `last` (Ctrl-C again to quit at once)...");
    }

    /** {@link #onCtrlC(StopSignal, PrintStream)} that says {@code message} at the first Ctrl-C. */
    static Installed onCtrlC(StopSignal stop, PrintStream err, String message) {
        Signal sigint = new Signal("INT");
        AtomicLong first = new AtomicLong();
        SignalHandler previous;
        try {
            previous = Signal.handle(sigint, s -> {
                long now = System.nanoTime();
                if (first.compareAndSet(0, now)) {
                    err.println(message);
                    stop.request();
                } else if (now - first.get() > SAME_PRESS_NANOS) {
                    Runtime.getRuntime().halt(Runner.INTERRUPTED);
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException reserved) {
            return () -> { };
        }
        return () -> Signal.handle(sigint, previous);
    }
}
