package dev.dlx.runtime.run;

import dev.dlx.compiler.train.EarlyStop;
import dev.dlx.compiler.train.Phase;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.Trainer;
import java.util.List;
import java.util.Map;

/**
 * Where a resumed training in phases picks up. Phase k trains epochs {@code start(k) + 1} to
 * {@code start(k) + epochs}, counted on across the phases, and the `last` checkpoint names the phase
 * it was saved in. A checkpoint inside a phase resumes that phase with its optimizer, schedule and
 * early-stopping state; one at a phase's end (its last epoch, or an early stop) starts the next
 * phase afresh, as the uninterrupted run did, with the weights that run handed on (the phase's best
 * ones under `restore_best`).
 *
 * @param phase  the index of the phase to train first
 * @param resume how it starts: {@code completedEpochs == start(phase)} with no optimizer state for
 *               a fresh phase, else the saved state inside it
 * @param fresh  whether the phase starts afresh (the checkpoint was saved at the end of the one
 *               before it), not inside it
 */
record PhaseResume(int phase, Trainer.Resume resume, boolean fresh) {

    /** The first epoch number before phase {@code k}: the epochs of the phases before it. */
    static int start(List<Phase> phases, int k) {
        int from = 0;
        for (int i = 0; i < k; i++) from += phases.get(i).epochs();
        return from;
    }

    /** The phase that trains epoch {@code epoch} (1-based), or -1 past the last phase. */
    static int phaseOf(List<Phase> phases, int epoch) {
        for (int k = 0; k < phases.size(); k++) if (epoch <= start(phases, k + 1)) return k;
        return -1;
    }

    /**
     * The phase the training in phases {@code t} goes on with after the checkpoint {@code saved}
     * describes; -1 in {@link #phase} when all have trained. {@code midEpoch}: the checkpoint was
     * saved inside epoch {@code completedEpochs + 1} (also when its batches are to be trained again,
     * on another number of workers), so it lies inside that epoch's phase.
     */
    static PhaseResume of(TrainIR t, Trainer.Resume saved, Checkpoint best, boolean midEpoch) {
        List<Phase> phases = t.phases();
        int next = saved.completedEpochs() + 1;
        int k = phaseOf(phases, next);
        boolean inside = midEpoch || saved.batchesDone() > 0;
        int within = inside ? k : phaseOf(phases, saved.completedEpochs());
        EarlyStop es = t.earlyStop();
        boolean stoppedEarly = saved.batchesDone() == 0 && es != null && saved.monitor() != null && saved.monitor().length == 3
            && saved.monitor()[2] >= es.patience();
        if (within >= 0 && (inside || k == within && !stoppedEarly)) {
            return new PhaseResume(within, withBest(saved, bestOf(t, best, within)), false);
        }
        // the phase `within` had ended (its last epoch, or an early stop): the next one starts afresh
        int fresh = within + 1;
        if (fresh >= phases.size()) return new PhaseResume(-1, saved, false);
        Map<String, float[]> handed = bestOf(t, best, within);
        return new PhaseResume(fresh, new Trainer.Resume(start(phases, fresh), 0, handed != null ? handed : saved.weights(), Map.of(),
            null, null, null, saved.stepsDone()), true);
    }

    /** The best weights of phase {@code k} where `restore_best` hands them on; null otherwise. */
    private static Map<String, float[]> bestOf(TrainIR t, Checkpoint best, int k) {
        if (best == null || t.earlyStop() == null || !t.earlyStop().restoreBest()) return null;
        String name = t.phases().get(k).name();
        return best.meta().has("phase") && best.meta().get("phase").getAsString().equals(name) ? best.weights() : null;
    }

    private static Trainer.Resume withBest(Trainer.Resume r, Map<String, float[]> best) {
        return new Trainer.Resume(r.completedEpochs(), r.batchesDone(), r.weights(), r.optimizer(), r.schedule(), r.monitor(), best,
            r.stepsDone());
    }
}
