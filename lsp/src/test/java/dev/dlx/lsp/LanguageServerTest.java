package dev.dlx.lsp;

import dev.dlx.compiler.catalog.Catalog;
import static dev.dlx.lsp.LspSession.at;
import static dev.dlx.lsp.LspSession.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ReferenceContext;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server driven through LSP4J over piped streams, as an editor drives `dlxc lsp`. */
class LanguageServerTest {
    static final String BLOCKS = """
        // conv, batch norm, relu: the usual convolutional unit
        block convbn(filters, k = 3) {
            conv filters k padding same bias false -> batchnorm -> relu
        }
        """;

    static final String MAIN = """
        import "blocks.dlx"

        dataset digits {
            source csv "digits.csv" { features 0..63, label 64 }
            features reshape [8, 8, 1]
            labels classes 10 onehot
            split train 80%, val 20%
        }

        block twice(filters) {
            convbn(filters) -> convbn(filters)
        }

        model Net(image [8, 8, 1]) -> [10] {
            conv 32 3 padding same -> relu
            convbn(16)
            twice(16)
            maxpool 2
            dense 10 -> softmax
        }
        """;

    @TempDir Path dir;
    LspSession session;
    String mainUri;
    String blocksUri;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("blocks.dlx"), BLOCKS);
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < 64; c++) csv.append(c % 16).append(',');
            csv.append(r % 10).append('\n');
        }
        Files.writeString(dir.resolve("digits.csv"), csv.toString());
        Files.writeString(dir.resolve("main.dlx"), MAIN);
        mainUri = dir.resolve("main.dlx").toUri().toString();
        blocksUri = dir.resolve("blocks.dlx").toUri().toString();
        session = new LspSession(dir);
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
    }

    private String openMain() throws InterruptedException {
        session.open(mainUri, MAIN, 1);
        session.diagnostics(mainUri, 1);
        return MAIN;
    }

    // ------------------------------------------------------------------ diagnostics

    @Test
    void diagnosticsArriveAtTheSpanAndClearWhenFixed() throws Exception {
        session.open(mainUri, MAIN, 1);
        PublishDiagnosticsParams first = session.diagnostics(mainUri, 1);
        assertEquals(1, first.getDiagnostics().size(), first.getDiagnostics().toString());
        Diagnostic d = first.getDiagnostics().get(0);
        assertEquals("DLX0401", d.getCode().getLeft());
        assertEquals(DiagnosticSeverity.Error, d.getSeverity());
        assertEquals("dlx", d.getSource());
        assertEquals(new Range(at(MAIN, "dense 10"), at(MAIN, "dense 10", 0, "dense 10".length())), d.getRange());
        assertTrue(d.getMessage().contains("\nhelp: insert `flatten`"), d.getMessage());

        // Type the fix as an editor sends it: an insertion at the start of the `dense` line.
        Position lineStart = new Position(at(MAIN, "dense 10").getLine(), 0);
        session.edit(mainUri, new Range(lineStart, lineStart), "    flatten\n", 2);
        PublishDiagnosticsParams fixed = session.diagnostics(mainUri, 2);
        assertEquals(2, fixed.getVersion());
        assertEquals(List.of(), fixed.getDiagnostics());
    }

    @Test
    void secondaryLabelsBecomeRelatedInformation() throws Exception {
        String text = "model A(x [4]) {\n    dense 2\n}\n\nmodel A(y [4]) {\n    dense 2\n}\n";
        String uri = dir.resolve("dup.dlx").toUri().toString();
        session.open(uri, text, 1);
        Diagnostic d = session.diagnostics(uri, 1).getDiagnostics().stream()
            .filter(x -> x.getCode().getLeft().equals("DLX0203")).findFirst().orElseThrow();
        assertEquals(at(text, "A", 1, 0), d.getRange().getStart());
        assertEquals(1, d.getRelatedInformation().size());
        assertEquals(at(text, "A"), d.getRelatedInformation().get(0).getLocation().getRange().getStart());
        assertEquals("first defined here", d.getRelatedInformation().get(0).getMessage());
    }

    @Test
    void errorsInAnImportedFileShowAtTheImport() throws Exception {
        Files.writeString(dir.resolve("broken.dlx"), "block b {\n    conv 8\n}\n");
        String text = "import \"broken.dlx\"\n\nmodel M(x [8, 8, 1]) {\n    b\n}\n";
        String uri = dir.resolve("user.dlx").toUri().toString();
        session.open(uri, text, 1);
        List<Diagnostic> ds = session.diagnostics(uri, 1).getDiagnostics();
        assertFalse(ds.isEmpty());
        Diagnostic d = ds.get(0);
        assertEquals(at(text, "\"broken.dlx\""), d.getRange().getStart());
        assertTrue(d.getMessage().startsWith("in `"), d.getMessage());
        assertTrue(d.getRelatedInformation().get(0).getLocation().getUri().endsWith("broken.dlx"));
    }

    @Test
    void anOpenImportOverridesTheDisk() throws Exception {
        openMain();
        session.open(blocksUri, BLOCKS, 1);
        session.diagnostics(blocksUri, 1);
        // Break the block in the editor only: the main document is checked again with the buffer's text.
        session.change(blocksUri, BLOCKS.replace("conv filters k", "conv filters k stride 0"), 2);
        PublishDiagnosticsParams main = session.diagnosticsUntil(mainUri,
            p -> p.getDiagnostics().stream().anyMatch(d -> d.getCode().getLeft().equals("DLX0305")));
        assertTrue(main.getDiagnostics().get(0).getMessage().startsWith("in `"), main.getDiagnostics().toString());
    }

    // ------------------------------------------------------------------ hover

    private Hover hover(String uri, Position p) throws Exception {
        return session.server.getTextDocumentService().hover(new HoverParams(doc(uri), p)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void hoverOnAConvLayerShowsItsShapesParametersAndField() throws Exception {
        String text = openMain();
        Hover h = hover(mainUri, at(text, "conv 32", 0, 2));
        String md = h.getContents().getRight().getValue();
        assertTrue(md.contains("`[8, 8, 1]` → output `[8, 8, 32]`"), md);
        assertTrue(md.contains("320 parameters"), md); // 3*3*1*32 + 32
        assertTrue(md.contains("receptive field 3x3"), md);
        assertTrue(md.contains("conv FILTERS KERNEL"), md);
        assertEquals(new Range(at(text, "conv 32"), at(text, "conv 32", 0, 4)), h.getRange());
    }

    @Test
    void hoverOnABlockUseShowsItsSignatureAndOutput() throws Exception {
        String text = openMain();
        String md = hover(mainUri, at(text, "convbn(16)", 0, 1)).getContents().getRight().getValue();
        assertTrue(md.contains("block convbn(filters, k = 3)"), md);
        assertTrue(md.contains("the usual convolutional unit"), md);
        assertTrue(md.contains("output `[8, 8, 16]`"), md);
        assertTrue(md.contains("from `"), md);
    }

    @Test
    void hoverOnALayerInsideAnImportedBlockShowsItsShapesWhereItIsUsed() throws Exception {
        openMain();
        session.open(blocksUri, BLOCKS, 1);
        session.diagnostics(blocksUri, 1);
        String md = hover(blocksUri, at(BLOCKS, "conv filters", 0, 1)).getContents().getRight().getValue();
        assertTrue(md.contains("`convbn_1/conv_1` in `Net`: `[8, 8, 32]` → output `[8, 8, 16]`"), md);
        assertTrue(md.contains("more uses") || md.contains("twice_1/convbn_1/conv_1"), md);
    }

    @Test
    void hoverOnKeywordsAttributesAndModels() throws Exception {
        String text = openMain();
        String model = hover(mainUri, at(text, "model")).getContents().getRight().getValue();
        assertTrue(model.startsWith("**model**"), model);
        String padding = hover(mainUri, at(text, "padding same", 0, 1)).getContents().getRight().getValue();
        assertTrue(padding.contains("`padding`"), padding);
        assertTrue(padding.contains("default `valid`"), padding);
        String net = hover(mainUri, at(text, "Net")).getContents().getRight().getValue();
        assertTrue(net.contains("model Net(image [8, 8, 1]) -> [10]"), net);
        String split = hover(mainUri, at(text, "split")).getContents().getRight().getValue();
        assertTrue(split.startsWith("**split**"), split);
    }

    // ------------------------------------------------------------------ completion

    private List<CompletionItem> complete(String uri, Position p) throws Exception {
        return session.server.getTextDocumentService().completion(new CompletionParams(doc(uri), p))
            .get(30, TimeUnit.SECONDS).getRight().getItems();
    }

    private static List<String> labels(List<CompletionItem> items) {
        return items.stream().map(CompletionItem::getLabel).toList();
    }

    @Test
    void completionAfterALayerOffersTheAttributesNotGiven() throws Exception {
        openMain();
        String typed = MAIN.replace("    maxpool 2\n", "    maxpool 2\n    conv 32 3 \n");
        session.change(mainUri, typed, 2);
        Position cursor = at(typed, "conv 32 3 \n", 0, "conv 32 3 ".length());
        List<String> labels = labels(complete(mainUri, cursor));
        assertTrue(labels.containsAll(List.of("stride", "padding", "dilation", "bias")), labels.toString());
        assertFalse(labels.contains("filters"), labels.toString());
        assertFalse(labels.contains("kernel"), labels.toString());
        assertFalse(labels.contains("conv"), labels.toString());
    }

    @Test
    void completionOfValuesNamesAndWords() throws Exception {
        openMain();
        // After `padding`: its choices.
        String typed = MAIN.replace("    maxpool 2\n", "    maxpool 2\n    conv 8 3 padding \n");
        session.change(mainUri, typed, 2);
        List<String> values = labels(complete(mainUri, at(typed, "padding \n", 0, "padding ".length())));
        assertEquals(List.of("valid", "same", "full"), values);

        // At the start of a body line: layer kinds, blocks (also imported ones) and tensors.
        String line = MAIN.replace("    maxpool 2\n", "    maxpool 2\n    \n");
        session.change(mainUri, line, 3);
        List<String> starts = labels(complete(mainUri, at(line, "    \n", 0, 4)));
        assertTrue(starts.containsAll(List.of("conv", "dense", "lstm", "convbn", "twice", "image", "let")), starts.toString());

        // Top level: declarations; after `train`: models; after `on`: datasets.
        String top = MAIN + "\ntrain  on \n";
        session.change(mainUri, top, 4);
        assertTrue(labels(complete(mainUri, LspSession.end(MAIN + "\n"))).containsAll(Catalog.DECLARATIONS));
        assertEquals(List.of("Net"), labels(complete(mainUri, at(top, "train  on", 0, "train ".length()))));
        assertEquals(List.of("digits"), labels(complete(mainUri, at(top, "on \n", 0, 3))));
    }

    @Test
    void completionOfStatementsInDatasetAndTrainingBlocks() throws Exception {
        openMain();
        String typed = MAIN + "\ntrain Net on digits {\n    \n    optimizer \n}\n";
        session.change(mainUri, typed, 2);
        List<String> statements = labels(complete(mainUri, at(typed, "{\n    \n", 0, 6)));
        assertTrue(statements.containsAll(List.of("loss", "optimizer", "epochs", "early_stop", "metrics")), statements.toString());
        List<String> optimizers = labels(complete(mainUri, at(typed, "optimizer \n", 0, "optimizer ".length())));
        assertTrue(optimizers.containsAll(List.of("sgd", "adam", "rmsprop")), optimizers.toString());

        String data = MAIN.replace("    labels classes 10 onehot\n", "    labels classes 10 onehot\n    \n");
        session.change(mainUri, data, 3);
        List<String> dataWords = labels(complete(mainUri, at(data, "onehot\n    \n", 0, "onehot\n    ".length())));
        assertTrue(dataWords.containsAll(List.of("source", "split", "normalize", "augment", "batch")), dataWords.toString());
    }

    @Test
    void completionOfFileNamesInImports() throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/extra.dlx"), "block extra {\n    relu\n}\n");
        openMain();
        String typed = "import \"\n" + MAIN;
        session.change(mainUri, typed, 2);
        List<CompletionItem> items = complete(mainUri, new Position(0, 8));
        List<String> labels = labels(items);
        assertTrue(labels.containsAll(List.of("blocks.dlx", "lib/extra.dlx")), labels.toString());
        assertFalse(labels.contains("main.dlx"), labels.toString());
        assertFalse(labels.contains("digits.csv"), labels.toString());
    }

    @Test
    void aCompletionsTextEditReplacesTheWholeWordAtTheCursor() throws Exception {
        openMain();
        String typed = MAIN.replace("    maxpool 2\n", "    maxpool 2\n    densse 10\n");
        session.change(mainUri, typed, 2);
        List<CompletionItem> items = complete(mainUri, at(typed, "densse", 0, 3));
        CompletionItem dense = items.stream().filter(i -> i.getLabel().equals("dense")).findFirst().orElseThrow();
        assertEquals(new Range(at(typed, "densse"), at(typed, "densse", 0, 6)), dense.getTextEdit().getLeft().getRange());
        assertEquals(typed.replace("densse", "dense"), LspSession.apply(typed, List.of(dense.getTextEdit().getLeft())));
    }

    // ------------------------------------------------------------------ navigation

    private List<? extends Location> definition(String uri, Position p) throws Exception {
        return session.server.getTextDocumentService().definition(new DefinitionParams(doc(uri), p))
            .get(30, TimeUnit.SECONDS).getLeft();
    }

    @Test
    void definitionOfABlockCallJumpsToTheBlockAlsoInAnImportedFile() throws Exception {
        String text = openMain();
        List<? extends Location> imported = definition(mainUri, at(text, "convbn(16)", 0, 2));
        assertEquals(1, imported.size());
        assertEquals(blocksUri, imported.get(0).getUri());
        assertEquals(new Range(at(BLOCKS, "convbn"), at(BLOCKS, "convbn", 0, 6)), imported.get(0).getRange());

        List<? extends Location> local = definition(mainUri, at(text, "twice(16)", 0, 1));
        assertEquals(mainUri, local.get(0).getUri());
        assertEquals(at(text, "twice"), local.get(0).getRange().getStart());

        List<? extends Location> data = definition(mainUri, LspSession.end(text)); // nothing at the end
        assertTrue(data.isEmpty());
    }

    @Test
    void aModelUsedInsideAnotherHasAHoverAndADefinition() throws Exception {
        String text = "model Enc(x [4]) -> [2] {\n    dense 2\n}\n\nmodel Pair(a [4], b [4]) -> [2] {\n"
            + "    let ea = Enc(a)\n    let eb = Enc(b)\n    add(ea, eb)\n}\n";
        String uri = dir.resolve("pair.dlx").toUri().toString();
        session.open(uri, text, 1);
        assertEquals(List.of(), session.diagnostics(uri, 1).getDiagnostics());
        String md = hover(uri, at(text, "Enc(b)", 0, 1)).getContents().getRight().getValue();
        assertTrue(md.contains("model Enc(x [4]) -> [2]") && md.contains("10 parameters") && md.contains("shared"), md);
        assertEquals(at(text, "Enc"), definition(uri, at(text, "Enc(a)", 0, 1)).get(0).getRange().getStart());
    }

    @Test
    void definitionOfModelsDatasetsImportsAndParameters() throws Exception {
        String text = MAIN + "\ntrain Net on digits {\n    loss categorical_crossentropy\n    optimizer adam\n}\n";
        session.open(mainUri, text, 1);
        session.diagnostics(mainUri, 1);
        assertEquals(at(text, "Net"), definition(mainUri, at(text, "train Net", 0, 7)).get(0).getRange().getStart());
        assertEquals(at(text, "digits"), definition(mainUri, at(text, "on digits", 0, 4)).get(0).getRange().getStart());
        Location file = definition(mainUri, at(text, "blocks.dlx", 0, 2)).get(0);
        assertEquals(blocksUri, file.getUri());
        assertEquals(at(text, "filters"), definition(mainUri, at(text, "convbn(filters)", 0, 8)).get(0).getRange().getStart());
    }

    @Test
    void referencesOfABlockAcrossFiles() throws Exception {
        openMain();
        session.open(blocksUri, BLOCKS, 1);
        session.diagnostics(blocksUri, 1);
        List<? extends Location> refs = session.server.getTextDocumentService()
            .references(new ReferenceParams(doc(blocksUri), at(BLOCKS, "convbn", 0, 1), new ReferenceContext(true)))
            .get(30, TimeUnit.SECONDS);
        long inMain = refs.stream().filter(l -> l.getUri().equals(mainUri)).count();
        long inBlocks = refs.stream().filter(l -> l.getUri().equals(blocksUri)).count();
        assertEquals(3, inMain, refs.toString()); // twice's two uses and the model's
        assertEquals(1, inBlocks, refs.toString()); // the declaration
    }

    // ------------------------------------------------------------------ outline and formatting

    @Test
    void documentSymbolsListModelsBlocksAndDatasets() throws Exception {
        openMain();
        List<DocumentSymbol> symbols = session.server.getTextDocumentService()
            .documentSymbol(new DocumentSymbolParams(doc(mainUri))).get(30, TimeUnit.SECONDS)
            .stream().map(e -> e.getRight()).toList();
        assertEquals(List.of("blocks.dlx", "digits", "twice", "Net"), symbols.stream().map(DocumentSymbol::getName).toList());
        assertEquals(List.of(SymbolKind.File, SymbolKind.Struct, SymbolKind.Function, SymbolKind.Class),
            symbols.stream().map(DocumentSymbol::getKind).toList());
        DocumentSymbol net = symbols.get(3);
        assertEquals("(image [8, 8, 1]) -> [10]", net.getDetail());
        assertEquals("image", net.getChildren().get(0).getName());
        assertEquals(at(MAIN, "Net"), net.getSelectionRange().getStart());
        DocumentSymbol digits = symbols.get(1);
        assertEquals(List.of("source", "features", "labels", "split"), digits.getChildren().stream().map(DocumentSymbol::getName).toList());
    }

    @Test
    void formattingReturnsEditsToTheCanonicalLayout() throws Exception {
        String messy = "model M(x [4]){\n  dense 2->relu   // two\n\n\n}\nmodel N(y [4]) {\ndense 1\n}";
        String uri = dir.resolve("messy.dlx").toUri().toString();
        session.open(uri, messy, 1);
        List<? extends TextEdit> edits = session.server.getTextDocumentService()
            .formatting(new DocumentFormattingParams(doc(uri), new FormattingOptions(4, true))).get(30, TimeUnit.SECONDS);
        assertNotNull(edits);
        assertEquals("model M(x [4]) {\n    dense 2 -> relu // two\n}\n\nmodel N(y [4]) {\n    dense 1\n}\n",
            LspSession.apply(messy, edits));

        session.change(uri, "model M(x [4]) {\n    dense 2 ->\n", 2);
        List<? extends TextEdit> none = session.server.getTextDocumentService()
            .formatting(new DocumentFormattingParams(doc(uri), new FormattingOptions(4, true))).get(30, TimeUnit.SECONDS);
        assertTrue(none.isEmpty(), "text with syntax errors is left alone");
    }

    @Test
    void formattingDeeplyNestedTextAnswersWithEditsOrNothingButNeverAnError() throws Exception {
        // within the language's nesting limit (100 levels) the text is formatted; beyond it, it is a syntax error and left alone
        int depth = 90;
        String deep = "model M(x [4]) {\n  dense " + "(".repeat(depth) + "2" + ")".repeat(depth) + "\n}\n";
        String uri = dir.resolve("deep.dlx").toUri().toString();
        session.open(uri, deep, 1);
        List<? extends TextEdit> edits = session.server.getTextDocumentService()
            .formatting(new DocumentFormattingParams(doc(uri), new FormattingOptions(4, true))).get(60, TimeUnit.SECONDS);
        assertEquals(deep.replace("\n  dense", "\n    dense"), LspSession.apply(deep, edits));

        int version = 1;
        for (String text : List.of("model M(x [4]) {\n  dense " + "(".repeat(3000) + "2" + ")".repeat(3000) + "\n}\n",
                "model M(x [4]) {\n    dense " + "(".repeat(3000) + "\n}\n")) {
            session.change(uri, text, ++version);
            List<? extends TextEdit> none = session.server.getTextDocumentService()
                .formatting(new DocumentFormattingParams(doc(uri), new FormattingOptions(4, true))).get(60, TimeUnit.SECONDS);
            assertTrue(none.isEmpty(), "text nested past the limit, or unbalanced, is left alone");
        }
    }

    @Test
    void diagnosticRangesAfterAnEmojiCountUtf16Units() throws Exception {
        String text = "// 🧠 a comment with an emoji\nmodel M(x [4]) {\n    dense 2 // 🎉🎉\n    dense 🎉 3 -> relux\n}\n";
        String uri = dir.resolve("emoji.dlx").toUri().toString();
        session.open(uri, text, 1);
        List<Diagnostic> diags = session.diagnostics(uri, 1).getDiagnostics();
        Diagnostic stray = diags.stream().filter(d -> "DLX0102".equals(d.getCode().getLeft())).findFirst().orElseThrow();
        assertEquals(new Range(at(text, "🎉 3"), at(text, "🎉 3", 0, 2)), stray.getRange(), "the emoji is two UTF-16 units");
        Diagnostic unknown = diags.stream().filter(d -> "DLX0202".equals(d.getCode().getLeft())).findFirst().orElseThrow();
        assertEquals(new Range(new Position(3, 18), new Position(3, 23)), unknown.getRange());
        assertEquals(new Range(at(text, "relux"), at(text, "relux", 0, 5)), unknown.getRange());
    }

    @Test
    void referencesIncludeWorkspaceFilesThatAreNotOpenOnceIndexed() throws Exception {
        session.open(blocksUri, BLOCKS, 1);
        session.diagnostics(blocksUri, 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long inMain = 0;
        while (inMain < 3 && System.nanoTime() < deadline) { // main.dlx is indexed in the background
            List<? extends Location> refs = session.server.getTextDocumentService()
                .references(new ReferenceParams(doc(blocksUri), at(BLOCKS, "convbn", 0, 1), new ReferenceContext(true)))
                .get(30, TimeUnit.SECONDS);
            inMain = refs.stream().filter(l -> l.getUri().equals(mainUri)).count();
            if (inMain < 3) Thread.sleep(50);
        }
        assertEquals(3, inMain, "main.dlx is not open; its uses come from the workspace index");
    }
}
