package dev.dlx.runtime.search;

import dev.dlx.compiler.schema.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One trial of a search, as its state file records it: its point, where it stands (the rung it is
 * in and whether it is waiting, training, done with the rung, stopped early, completed or failed),
 * the objective it reached at each rung, the epochs and seconds it trained, its run folder.
 */
public final class Trial {
    /** Where a trial stands. */
    public enum Status {
        /** waits to train its rung's epochs */
        PENDING,
        /** its process is training */
        RUNNING,
        /** trained its rung; waits for the rung's other trials */
        DONE,
        /** not among the best of its rung: trains no further */
        STOPPED,
        /** trained the whole budget */
        COMPLETED,
        /** its process failed or was killed */
        FAILED;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }

        public boolean finished() { return this == STOPPED || this == COMPLETED || this == FAILED; }
    }

    final int id;
    final Map<String, Value> point;
    int rung;
    Status status = Status.PENDING;
    /** The objective after each rung the trial finished (NaN when unknown). */
    final List<Double> objectives = new ArrayList<>();
    int epochs;
    double seconds;
    /** The run folder, relative to the search folder; null before the trial's process made one. */
    String run;
    String error;

    Trial(int id, Map<String, Value> point) {
        this.id = id;
        this.point = point;
    }

    public int id() { return id; }
    public Map<String, Value> point() { return point; }
    public int rung() { return rung; }
    public Status status() { return status; }
    public int epochs() { return epochs; }
    public double seconds() { return seconds; }
    public String run() { return run; }
    public String error() { return error; }

    /** The objective at the last rung the trial finished; NaN when it finished none (failed before). */
    public double objective() {
        for (int i = objectives.size() - 1; i >= 0; i--) if (!Double.isNaN(objectives.get(i))) return objectives.get(i);
        return Double.NaN;
    }

    /** `trial-007` */
    public String name() { return String.format("trial-%03d", id); }
}
