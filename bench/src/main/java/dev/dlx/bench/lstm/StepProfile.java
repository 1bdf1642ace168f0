package dev.dlx.bench.lstm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * A profile per op type from TensorFlow's step statistics (RunOptions FULL_TRACE) of traced
 * training steps: executed nodes, their summed op time, and the step's span from the first node's
 * start to the last one's end, averaged over the steps.
 */
final class StepProfile {
    private final Map<String, long[]> byType = new LinkedHashMap<>();   // type -> {nodes, op micros}
    private long spanMicros, steps, nodes;

    void add(RunMetadata md) {
        long first = Long.MAX_VALUE, last = 0;
        for (DeviceStepStats dev : md.getStepStats().getDevStatsList()) {
            for (NodeExecStats n : dev.getNodeStatsList()) {
                String label = n.getTimelineLabel();
                int eq = label.indexOf(" = "), paren = label.indexOf('(', Math.max(eq, 0));
                String type = eq >= 0 && paren > eq ? label.substring(eq + 3, paren) : n.getNodeName().equals("_SOURCE") ? "_SOURCE" : "?";
                long[] v = byType.computeIfAbsent(type, k -> new long[2]);
                v[0]++;
                v[1] += n.getOpEndRelMicros() - n.getOpStartRelMicros();
                first = Math.min(first, n.getAllStartMicros());
                last = Math.max(last, n.getAllStartMicros() + n.getAllEndRelMicros());
                nodes++;
            }
        }
        spanMicros += last - first;
        steps++;
    }

    /** Markdown: the top {@code rows} op types by time, per step. */
    String table(String title, int rows) {
        List<Map.Entry<String, long[]>> all = new ArrayList<>(byType.entrySet());
        all.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        long total = 0;
        for (long[] v : byType.values()) total += v[1];
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
            "%s: %d traced steps, %.0f nodes a step, span %.1f ms a step, summed op time %.1f ms a step%n",
            title, steps, nodes / (double) steps, spanMicros / 1e3 / steps, total / 1e3 / steps));
        sb.append("| op | nodes a step | ms a step | share |\n|---|---|---|---|\n");
        for (int i = 0; i < Math.min(rows, all.size()); i++) {
            long[] v = all.get(i).getValue();
            sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.0f%% |%n", all.get(i).getKey(), v[0] / (double) steps,
                v[1] / 1e3 / steps, 100.0 * v[1] / Math.max(1, total)));
        }
        return sb.toString();
    }
}
