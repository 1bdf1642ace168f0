package dev.dlx.runtime.train;

import java.util.ArrayList;
import java.util.List;

/** Checkpoints kept in memory, for tests. */
final class MemoryStore implements CheckpointStore {
    final List<Checkpoint> best = new ArrayList<>();
    final List<Checkpoint> last = new ArrayList<>();

    @Override public void saveBest(Checkpoint c) { best.add(c); }

    @Override public void saveLast(Checkpoint c) { last.add(c); }

    Checkpoint latestBest() { return best.get(best.size() - 1); }

    Checkpoint latestLast() { return last.get(last.size() - 1); }
}
