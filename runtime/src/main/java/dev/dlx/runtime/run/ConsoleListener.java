package dev.dlx.runtime.run;

import dev.dlx.runtime.metrics.MetricText;
import dev.dlx.runtime.train.EpochRecord;
import dev.dlx.runtime.train.TrainListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training output for people: on a terminal a progress bar per epoch on stderr (batches, running
 * loss and accuracy, samples/s, elapsed time and ETA), and one line per epoch on stdout either way
 * (plain logs in CI and pipes).
 */
public final class ConsoleListener implements TrainListener {

    public enum Mode { AUTO, BAR, PLAIN, QUIET }

    private final PrintWriter out;
    private final PrintStream barStream;
    private final boolean bar;
    private final boolean quiet;
    private final String prefix;
    private ProgressBar progress;

    public ConsoleListener(PrintWriter out, PrintStream barStream, Mode mode, String prefix) {
        this.out = out;
        this.barStream = barStream;
        this.bar = mode == Mode.BAR || (mode == Mode.AUTO && isTerminal());
        this.quiet = mode == Mode.QUIET;
        this.prefix = prefix == null ? "" : prefix;
    }

    /** stdin and stdout are a terminal (what Java can tell), and TERM is not `dumb`. */
    public static boolean isTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override public void epochStart(int epoch, int epochs, int batches, double lr) {
        if (!bar || quiet) return;
        progress = new ProgressBarBuilder()
            .setTaskName(prefix + "epoch " + epoch + "/" + epochs)
            .setInitialMax(batches)
            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
            .setConsumer(new ConsoleProgressBarConsumer(barStream))
            .setUpdateIntervalMillis(200)
            .clearDisplayOnFinish()
            .build();
    }

    @Override public void batchEnd(int batch, int batches, double loss, double accuracy, long samples, double seconds) {
        if (progress == null) return;
        progress.stepTo(batch);
        String acc = Double.isNaN(accuracy) ? "" : " acc " + MetricText.of(accuracy);
        progress.setExtraMessage(String.format(Locale.ROOT, "loss %s%s %,.0f/s", MetricText.of(loss), acc, samples / Math.max(seconds, 1e-9)));
    }

    @Override public void epochEnd(EpochRecord r, boolean improved, int epochs) {
        if (progress != null) {
            progress.close();
            progress = null;
        }
        if (quiet) return;
        out.println(prefix + line(r, epochs) + (improved ? "  *" : ""));
        out.flush();
    }

    @Override public void message(String text) {
        if (progress != null) {
            progress.close();
            progress = null;
        }
        if (quiet) return;
        out.println(prefix + text);
        out.flush();
    }

    /** `epoch  3/30  loss 0.4123  accuracy 0.8761  val_loss ...  lr 1.00e-03  0.5s  2,410 samples/s`. */
    public static String line(EpochRecord r, int epochs) {
        int width = Integer.toString(epochs).length();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %" + width + "d/%d", r.epoch(), epochs));
        for (Map.Entry<String, Double> e : r.train().entrySet()) s.append("  ").append(e.getKey()).append(' ').append(MetricText.of(e.getValue()));
        for (Map.Entry<String, Double> e : r.val().entrySet()) s.append("  val_").append(e.getKey()).append(' ').append(MetricText.of(e.getValue()));
        s.append(String.format(Locale.ROOT, "  lr %.2e  %.1fs  %,.0f samples/s", r.lr(), r.seconds(), r.samplesPerSecond()));
        return s.toString();
    }

}
