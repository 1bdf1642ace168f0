package dev.dlx.compiler.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.catalog.Catalog.Block;
import dev.dlx.compiler.catalog.Catalog.Statement;
import dev.dlx.compiler.data.DatasetChecker;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.train.EvaluateChecker;
import dev.dlx.compiler.train.TrainChecker;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogTest {

    @Test
    void everyStatementTheCheckersAcceptIsInTheCatalogWithAMeaning() {
        check(Block.DATASET, DatasetChecker.STATEMENTS);
        check(Block.TRAIN, TrainChecker.STATEMENTS);
        check(Block.EVALUATE, EvaluateChecker.STATEMENTS);
        check(Block.SEARCH, dev.dlx.compiler.search.SearchChecker.STATEMENTS);
    }

    private static void check(Block block, List<String> accepted) {
        assertEquals(accepted, List.copyOf(Catalog.statements(block).keySet()), block + ": the catalog lists what the checker accepts");
        for (String w : accepted) {
            Statement s = Catalog.statement(block, w).orElseThrow();
            assertFalse(s.meaning().isBlank(), block + " `" + w + "` has no meaning in the catalog");
        }
    }

    @Test
    void statementsCarryTheCheckersOwnTables() {
        Statement optimizer = Catalog.statement(Block.TRAIN, "optimizer").orElseThrow();
        assertTrue(optimizer.firstWords().containsAll(List.of("sgd", "adam", "rmsprop")), optimizer.firstWords().toString());
        assertTrue(optimizer.schemaFor("adam").orElseThrow().has("beta1"));
        Statement split = Catalog.statement(Block.DATASET, "split").orElseThrow();
        assertNotNull(split.schema());
        assertTrue(split.schema().has("train") && split.schema().has("seed"));
        assertTrue(Catalog.statement(Block.TRAIN, "metrics").orElseThrow().firstWords().contains("accuracy"));
        assertTrue(Catalog.statements(Block.AUGMENT).containsKey("rotate"));
    }

    @Test
    void everyLayerKindHasADocAndItsSpellingsFindIt() {
        for (LayerKind<?> k : Catalog.layers()) {
            assertFalse(k.doc().isBlank(), k.name());
            assertEquals(k, Catalog.layer(k.name()).orElseThrow());
            for (String alias : k.aliases()) assertEquals(k, Catalog.layer(alias).orElseThrow(), alias);
        }
        assertTrue(Catalog.keyword("dataset").isPresent() && Catalog.DECLARATIONS.contains("evaluate"));
    }
}
