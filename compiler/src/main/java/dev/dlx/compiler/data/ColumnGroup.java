package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Span;
import java.util.List;

/**
 * The columns of one named feature or label of a csv source: `features image 0..783` is the group
 * `image` over columns 0..783. The one-feature, one-label form (`features 0..63, label 64`) has one
 * unnamed group each ({@code name} {@link FeatureIR#DEFAULT} or {@link LabelIR#DEFAULT}); an
 * unnamed feature group with no columns means every column but the labels.
 *
 * @param named whether the program names it
 * @param span  where it is named (its name), or the whole `features`/`label` statement when unnamed
 */
public record ColumnGroup(String name, boolean named, List<Integer> columns, Span span) {
    public ColumnGroup { columns = List.copyOf(columns); }
}
