package dev.dlx.runtime.search;

import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.SearchSpec;
import java.util.List;
import java.util.Map;

/** Every point of the grid in order ({@link SearchSpec#grid}): each choice, and `steps` points of each range. */
final class GridStrategy implements Strategy {
    private final List<Map<String, Value>> grid;

    GridStrategy(SearchSpec spec) { this.grid = spec.grid(); }

    @Override public Map<String, Value> suggest(int index, List<Observation> observed) {
        return grid.get(index % grid.size());
    }
}
