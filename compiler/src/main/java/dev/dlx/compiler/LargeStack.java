package dev.dlx.compiler;

import java.util.function.Supplier;

/**
 * Running recursive work (parsing, checking, formatting deeply nested text) on a thread with a large
 * stack, so that nesting a user can write does not overflow the caller's small one, and nesting
 * beyond even that gives an answer instead of a crash.
 */
public final class LargeStack {
    /** Room for tens of thousands of nested parentheses. */
    static final long STACK_BYTES = 512L * 1024 * 1024;

    private LargeStack() {}

    /**
     * The value of {@code work}, computed on a thread named {@code name} with a large stack; the
     * value of {@code tooDeep} when even that stack overflows. Other exceptions reach the caller.
     */
    public static <T> T call(String name, Supplier<T> work, Supplier<T> tooDeep) {
        return call(name, STACK_BYTES, work, tooDeep);
    }

    static <T> T call(String name, long stackBytes, Supplier<T> work, Supplier<T> tooDeep) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        boolean[] overflowed = new boolean[1];
        Thread worker = new Thread(null, () -> {
            try {
                result[0] = work.get();
            } catch (StackOverflowError deep) {
                overflowed[0] = true;
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        }, name, stackBytes);
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        if (failure[0] instanceof Error e) throw e;
        if (failure[0] instanceof RuntimeException e) throw e;
        if (overflowed[0]) return tooDeep.get();
        @SuppressWarnings("unchecked") T value = (T) result[0];
        return value;
    }
}
