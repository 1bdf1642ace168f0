package dev.dlx.runtime.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch's numbers: 1-based epoch, the learning rate it trained with, training metrics
 * (accumulated over its batches, as the weights changed) and validation metrics (after it), the
 * time its batches took and their throughput.
 */
public record EpochRecord(int epoch, double lr, Map<String, Double> train, Map<String, Double> val, double seconds,
                          double samplesPerSecond) {

    public EpochRecord {
        train = Collections.unmodifiableMap(new LinkedHashMap<>(train));
        val = val == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(val));
    }

    /** A metric by its logged name: `loss`, `accuracy`, `val_loss`, `val_accuracy`, ...; NaN when absent. */
    public double get(String name) {
        Double v = name.startsWith("val_") ? val.get(name.substring(4)) : train.get(name);
        return v == null ? Double.NaN : v;
    }
}
