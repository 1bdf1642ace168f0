package dev.dlx.runtime.train;

import dev.dlx.runtime.cluster.Cluster;
import dev.dlx.runtime.cluster.Collectives;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loss every K steps (`dlxc run --log-every K`, the run folder's steps.csv): each row
 * is the mean loss (the one metrics.csv's `loss` averages, penalties included) of the samples of
 * the steps since the row before, within one epoch: a row after batches K, 2K, ... of the epoch
 * and after its last (or the one a stop ended it at). In a cluster each worker measures its own
 * batches, and the rows' losses are averaged over the workers with one collective at the end of
 * the epoch, nothing more a step: every worker trains as many samples a step, so the mean of the
 * workers' means is the loss of the step's global batch, as one process training that batch
 * measures it.
 */
public final class StepLosses {

    /**
     * @param epoch   the epoch (from 1)
     * @param batch   the epoch's batch (from 1) the row ends at
     * @param step    the steps trained before this row's last, over all epochs, plus one
     * @param batches how many steps the row averages
     * @param loss    their mean loss
     */
    public record Row(int epoch, int batch, long step, int batches, double loss) {}

    private final int every;
    private final List<Row> rows = new ArrayList<>();
    private double sum;
    private long samples;
    private int steps;

    /** Rows every {@code every} steps (1 or more). */
    public StepLosses(int every) {
        if (every < 1) throw new IllegalArgumentException("the loss is logged every 1 or more steps, not " + every);
        this.every = every;
    }

    /** After batch {@code batch} (from 1) of {@code epoch} of {@code batches} (step {@code step} from 1), of {@code count} samples. */
    public void add(int epoch, int batch, int batches, long step, int count, double loss) {
        sum += loss * count;
        samples += count;
        steps++;
        if (batch % every == 0 || batch == batches) end(epoch, batch, step);
    }

    /** Ends the row in progress (a stop inside the epoch). */
    public void end(int epoch, int batch, long step) {
        if (steps == 0) return;
        rows.add(new Row(epoch, batch, step, steps, sum / samples));
        sum = 0;
        samples = 0;
        steps = 0;
    }

    /**
     * The rows since the last call, their losses averaged over the workers of {@code cluster} (null,
     * or one worker: as measured). In a cluster every worker must call this at the same point with
     * as many rows, as the workers that train in step do.
     */
    public List<Row> take(Cluster cluster) {
        List<Row> out = new ArrayList<>(rows);
        rows.clear();
        if (cluster == null || cluster.size() < 2 || out.isEmpty()) return out;
        float[] v = new float[out.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) out.get(i).loss();
        float[] sum = Collectives.reduce(cluster, v, "Add");
        for (int i = 0; i < v.length; i++) {
            Row r = out.get(i);
            out.set(i, new Row(r.epoch(), r.batch(), r.step(), r.batches(), (double) sum[i] / cluster.size()));
        }
        return out;
    }
}
