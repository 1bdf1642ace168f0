package dev.dlx.runtime.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Successive halving: every trial first trains a small share of the epoch budget; only the best
 * 1/η of each rung goes on to η times as many epochs, up to the full budget. With n trials, a budget
 * of R epochs and factor η there are s + 1 rungs, s the largest number with η^s ≤ R and η^s ≤ n;
 * rung k trains R/η^(s−k) epochs (rounded, at least 1) and keeps ⌊n/η^k⌋ trials (at least 1).
 */
public final class Halving {
    private Halving() {}

    /** One rung: how many epochs its trials have trained when it ends, and how many trials it holds. */
    public record Rung(int epochs, int trials) {}

    /** The rungs for {@code trials} trials and a budget of {@code epochs}; {@code eta} 0: one rung of the whole budget. */
    public static List<Rung> plan(int trials, int epochs, int eta) {
        if (eta < 2) return List.of(new Rung(epochs, trials));
        int s = 0;
        long power = eta;
        while (power <= epochs && power <= trials) {
            s++;
            power *= eta;
        }
        List<Rung> rungs = new ArrayList<>();
        for (int k = 0; k <= s; k++) {
            int e = (int) Math.max(1, Math.round(epochs / Math.pow(eta, s - k)));
            int n = (int) Math.max(1, Math.floor(trials / Math.pow(eta, k)));
            rungs.add(new Rung(e, n));
        }
        return rungs;
    }
}
