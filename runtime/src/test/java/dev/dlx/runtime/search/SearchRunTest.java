package dev.dlx.runtime.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.SearchSpec;
import dev.dlx.runtime.train.StopSignal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search's bookkeeping with stand-in trial processes (`sh` scripts that write the run folder a
 * trial would: run.json with the val score, and a `last` checkpoint), so that what is tested is the
 * scheduling, halving, failure handling and resumption, in well under a second per trial.
 */
class SearchRunTest {
    @TempDir Path tmp;

    static final String SPEC = "param lr loguniform 1e-4..1e-1\nparam w choice 1, 2, 3\nstrategy random seed 4\ntrials 9\n"
        + "objective val_accuracy max\nbudget epochs 9 halving 3";

    /** The stand-in's score: best at lr = 10^-2.5, better with w and with epochs; known to the test. */
    static double score(double lr, double w, int epochs) {
        return 0.5 - 0.1 * Math.abs(Math.log10(lr) + 2.5) + 0.01 * w + 0.02 * epochs;
    }

    /** A launcher of stand-ins that logs each start (trial and epochs) to {@code log}; trial {@code killed} kills itself. */
    static SearchRun.Launcher fake(Path log, int killed) {
        return r -> {
            double lr = ((Value.Num) r.point().get("lr")).value(), w = ((Value.Num) r.point().get("w")).value();
            if (r.trial() == killed) return List.of("sh", "-c", "echo " + r.trial() + ":" + r.epochs() + " >> " + log + "; kill -9 $$");
            Path run = r.resume() != null ? r.resume() : r.runs().resolve("Fake-1");
            String json = String.format(Locale.ROOT, "{\"val\": {\"accuracy\": %.6f, \"loss\": 1.0}, \"completed_epochs\": %d}",
                score(lr, w, r.epochs()), r.epochs());
            return List.of("sh", "-c", "echo " + r.trial() + ":" + r.epochs() + " >> " + log + " && mkdir -p " + run
                + " && printf '%s' '" + json + "' > " + run.resolve("run.json") + " && touch " + run.resolve("last.npz"));
        };
    }

    SearchRun search(SearchSpec spec, Path dir, SearchRun.Launcher launcher, StopSignal stop, StringWriter out) {
        return new SearchRun(tmp.resolve("f.dlx"), spec, spec.trials(), spec.epochs(), dir, launcher, 2, 4, new PrintWriter(out, true), stop);
    }

    @Test
    void halvingPromotesTheBestAndAKilledTrialIsRecordedAsFailed() throws IOException {
        SearchSpec spec = Specs.of(SPEC);
        Path log = tmp.resolve("launches.txt");
        StringWriter out = new StringWriter();
        SearchRun run = search(spec, tmp.resolve("s"), fake(log, 4), null, out);
        assertTrue(run.run(), out.toString());
        SearchState state = run.state();
        assertEquals(List.of(new Halving.Rung(1, 9), new Halving.Rung(3, 3), new Halving.Rung(9, 1)), state.rungs());
        assertEquals(9, state.trials().size());
        Trial killed = state.trials().get(3);
        assertEquals(Trial.Status.FAILED, killed.status());
        assertTrue(killed.error().startsWith("killed (exit code 137)"), killed.error());
        // rung 1: the 8 that did not fail, ranked by the known score; the best 3 go on, then the best of those
        List<Trial> ok = new ArrayList<>(state.trials());
        ok.remove(killed);
        ok.sort((a, b) -> Double.compare(score(a, 1), score(b, 1)));
        Collections.reverse(ok);
        for (int i = 0; i < ok.size(); i++) {
            Trial t = ok.get(i);
            assertEquals(i == 0 ? Trial.Status.COMPLETED : Trial.Status.STOPPED, t.status(), t.name());
            assertEquals(i == 0 ? 9 : i < 3 ? 3 : 1, t.epochs(), t.name());
        }
        assertEquals(ok.get(0), state.best());
        assertEquals(score(ok.get(0), 9), state.best().objective(), 1e-6);
        // every (trial, epochs) started once: 9 at one epoch, 3 at three, 1 at nine
        List<String> launches = Files.readAllLines(log);
        assertEquals(13, launches.size());
        assertEquals(launches.size(), launches.stream().distinct().count());
        SearchReport.write(state, tmp.resolve("s"));
        String table = Files.readString(tmp.resolve("s").resolve(SearchReport.TABLE));
        assertTrue(table.lines().skip(1).findFirst().orElseThrow().startsWith("*  " + ok.get(0).name()), table);
        assertTrue(table.lines().filter(l -> l.contains("trial-004")).findFirst().orElseThrow().contains("failed: killed"), table);
        assertTrue(Files.size(tmp.resolve("s").resolve(SearchReport.PLOT)) > 1000);
        assertEquals(tmp.resolve("s").resolve(ok.get(0).run()).toRealPath(), tmp.resolve("s").resolve(SearchReport.BEST).toRealPath());
        SearchState.Best best = SearchState.readBest(tmp.resolve("s"));
        assertEquals(ok.get(0).id(), best.trial());
        assertEquals(9, best.epochs());
    }

    static double score(Trial t, int epochs) {
        return score(((Value.Num) t.point().get("lr")).value(), ((Value.Num) t.point().get("w")).value(), epochs);
    }

    @Test
    void anInterruptedSearchResumesWithoutRepeatingAFinishedTrial() throws IOException {
        SearchSpec spec = Specs.of(SPEC);
        Path log = tmp.resolve("launches.txt");
        Path dir = tmp.resolve("s");
        StopSignal stop = new StopSignal();
        AtomicInteger starts = new AtomicInteger();
        SearchRun.Launcher stopping = r -> {
            if (starts.incrementAndGet() == 5) stop.request(); // Ctrl-C while the fifth trial starts
            return fake(log, 0).command(r);
        };
        SearchRun first = search(spec, dir, stopping, stop, new StringWriter());
        assertFalse(first.run());
        assertEquals(5, first.launched());
        long finished = first.state().trials().stream().filter(t -> t.status() == Trial.Status.DONE).count();
        assertEquals(5, finished);
        StringWriter out = new StringWriter();
        SearchRun second = search(spec, dir, fake(log, 0), null, out);
        assertTrue(second.run());
        assertTrue(out.toString().contains("resuming the search"), out.toString());
        assertEquals(9 - 5 + 3 + 1, second.launched());
        List<String> launches = Files.readAllLines(log);
        assertEquals(13, launches.size());
        assertEquals(launches.size(), launches.stream().distinct().count(), "no trial ran twice: " + launches);
        // the same points as an uninterrupted search with the same seed
        SearchRun whole = search(spec, tmp.resolve("whole"), fake(tmp.resolve("other.txt"), 0), null, new StringWriter());
        assertTrue(whole.run());
        for (int i = 0; i < 9; i++) {
            assertEquals(SearchSpec.text(whole.state().trials().get(i).point()), SearchSpec.text(second.state().trials().get(i).point()));
        }
        assertNotNull(second.state().best());
        assertEquals(whole.state().best().id(), second.state().best().id());
    }

    @Test
    void aFolderOfAnotherSearchIsRefused() throws IOException {
        Path dir = tmp.resolve("s");
        assertTrue(search(Specs.of(SPEC), dir, fake(tmp.resolve("l.txt"), 0), null, new StringWriter()).run());
        SearchSpec other = Specs.of(SPEC.replace("choice 1, 2, 3", "choice 1, 2"));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
            () -> search(other, dir, fake(tmp.resolve("l.txt"), 0), null, new StringWriter()).run());
        assertTrue(e.getMessage().contains("holds another search"), e.getMessage());
    }
}
