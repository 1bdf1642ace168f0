package dev.dlx.runtime.train;

/**
 * Why training stopped with a failure: a step whose loss or gradient was not finite (the step's
 * update was not applied), or a loss that diverged while staying finite (see {@link Divergence});
 * no checkpoint was written after it (the best one stays as it was).
 *
 * @param epoch     1-based
 * @param batch     1-based, within the epoch (0: the epoch as a whole)
 * @param loss      the loss of that batch (NaN, infinite, or finite when only a gradient was not), or the epoch's mean
 * @param diagnosis the first weight, layer output or gradient found non-finite; null when none was
 * @param divergence for a finite loss that grew out of bounds, how; null otherwise
 */
public record TrainingFailure(int epoch, int batch, double loss, double lr, TrainGraph.Diagnosis diagnosis, Divergence divergence) {

    public TrainingFailure(int epoch, int batch, double loss, double lr, TrainGraph.Diagnosis diagnosis) {
        this(epoch, batch, loss, lr, diagnosis, null);
    }

    public String message() {
        if (divergence != null) return "the loss diverged at epoch " + epoch + ": " + divergence.describe(loss);
        String what = Double.isFinite(loss) ? "a gradient became non-finite" : "the loss became " + (Double.isNaN(loss) ? "NaN" : "infinite");
        StringBuilder s = new StringBuilder(what + " at epoch " + epoch + ", batch " + batch);
        if (diagnosis != null) {
            s.append("; first in layer `").append(diagnosis.layer()).append("` (").append(diagnosis.kind()).append("): ")
                .append(diagnosis.what());
        }
        return s.toString();
    }

    public String help() {
        return String.format("lower the learning rate (it was %.3g), add `clip global_norm 1.0`, or check the data for extreme values", lr);
    }
}
