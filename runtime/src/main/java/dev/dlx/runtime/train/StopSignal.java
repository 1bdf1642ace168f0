package dev.dlx.runtime.train;

import java.util.concurrent.atomic.AtomicBoolean;

/** Asks a running training to stop after its current batch (Ctrl-C), saving `last` first. */
public final class StopSignal {
    private final AtomicBoolean requested = new AtomicBoolean();

    public void request() { requested.set(true); }

    public boolean requested() { return requested.get(); }
}
