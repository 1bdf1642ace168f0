package dev.dlx.runtime.train;

import java.io.IOException;

/** Where the trainer saves its checkpoints: `best` when the monitored metric improves, `last` after every epoch. */
public interface CheckpointStore {
    void saveBest(Checkpoint checkpoint) throws IOException;

    void saveLast(Checkpoint checkpoint) throws IOException;

    CheckpointStore NONE = new CheckpointStore() {
        @Override public void saveBest(Checkpoint checkpoint) {}
        @Override public void saveLast(Checkpoint checkpoint) {}
    };
}
