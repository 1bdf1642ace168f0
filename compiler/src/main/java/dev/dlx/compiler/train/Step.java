package dev.dlx.compiler.train;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.train.expr.LossExpr;
import java.util.List;

/**
 * One `step NAME { loss ...; updates ...; optimizer ... }` of a training with several update
 * steps (a GAN's discriminator and generator): its objective, the layers whose weights it changes
 * (resolved as `freeze` resolves names: layer names and, for used models, their weights' names),
 * its own optimizer, and how many times it runs per batch (`alternate D * 2, G`).
 *
 * @param named   the names `updates` gives, as written (`Discriminator`)
 * @param updates layer names in model order
 * @param repeat  runs per batch, one after another, each with fresh noise
 */
public record Step(String name, LossExpr objective, List<String> named, List<String> updates, Optimizer optimizer, int repeat, Span span) {
    public Step {
        named = List.copyOf(named);
        updates = List.copyOf(updates);
    }

    Step withRepeat(int times) { return new Step(name, objective, named, updates, optimizer, times, span); }
}
