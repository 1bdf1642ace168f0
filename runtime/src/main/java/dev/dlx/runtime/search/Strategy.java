package dev.dlx.runtime.search;

import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.SearchSpec;
import java.util.List;
import java.util.Map;

/** How a search chooses the point of its next trial. */
public interface Strategy {
    /**
     * The point of trial number {@code index} (from 0), given every trial observed so far. The same
     * spec, index and observations give the same point, so that a resumed search goes on as it would have.
     */
    Map<String, Value> suggest(int index, List<Observation> observed);

    static Strategy of(SearchSpec spec) {
        return switch (spec.strategy()) {
            case GRID -> new GridStrategy(spec);
            case RANDOM -> new RandomStrategy(spec);
            case TPE -> new Tpe(spec, Tpe.startupFor(spec.trials()));
        };
    }
}
