package dev.dlx.compiler.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `import "std/..."` reads the library shipped in the compiler; its transformer blocks reproduce BERT-base's counts. */
class StandardLibraryTest {
    static Compilation compile(String text) { return new Compiler().compile(Path.of("t.dlx"), text); }

    static ModelIR model(String text) {
        Compilation c = compile(text);
        assertTrue(c.ok(), () -> c.diagnostics().sorted().toString());
        return c.rootModels().get(0);
    }

    /**
     * BERT-base (Devlin et al.): word (30,522 x 768), position (512 x 768) and token-type (2 x 768)
     * embeddings with a layer norm: 23,837,184; 12 encoder layers of 7,087,872; the pooler dense
     * 768 -> 768 with tanh: 590,592. Total 109,482,240. The pooler here reads the mean of the
     * steps (`global_avgpool`), where BERT's reads the first ([CLS]) step: the same weights.
     */
    static final String BERT = """
        import "std/transformer.dlx"

        model BertBase(tokens [512], segments [512]) -> [768] {
            let words = tokens -> embedding 30522 768
            let types = segments -> embedding 2 768
            let e = add(words, types) -> positional length 512 -> layernorm epsilon 1e-12 -> dropout 0.1
            e -> transformer_encoder(12, 64, 3072) * 12
            global_avgpool -> dense 768 -> tanh
        }
        """;

    /** A path the file system refuses (a NUL inside the quotes) is an error at the path, never an exception. */
    @Test
    void anImportPathTheSystemRefusesIsAnError() {
        Compilation c = compile("import \"a\0b.dlx\"\nmodel M(x [2]) { dense 1 }\n");
        List<Diagnostic> errors = c.diagnostics().sorted().stream().filter(d -> d.code() == Code.IMPORT_NOT_FOUND).toList();
        assertEquals(1, errors.size(), () -> c.diagnostics().sorted().toString());
        assertTrue(errors.get(0).message().contains("not a file path"), errors.get(0).message());
    }

    @Test
    void bertBaseHasThePublishedCount() {
        ModelIR m = model(BERT);
        assertEquals(109_482_240L, m.totalParams());
        assertEquals(109_482_240L, m.trainableParams());
        long encoders = m.layers().stream().filter(n -> n.name().startsWith("transformer_encoder_"))
            .mapToLong(Node::paramCount).sum();
        assertEquals(12 * 7_087_872L, encoders);
        assertEquals(590_592L, m.layers().stream().filter(n -> n.kindName().equals("dense") && !n.name().contains("/"))
            .mapToLong(Node::paramCount).sum());
    }

    @Test
    void decoderBlocksCheck() {
        ModelIR gpt = model("""
            import "std/transformer.dlx"
            model Tiny(tokens [16]) -> [16, 50] {
                embedding 50 32 -> positional length 16 -> transformer_decoder(4, 8, 64) * 2 -> dense 50 -> softmax
            }
            """);
        // per layer 4 (32² + 32) + 4 * 32 + 33 * 64 + 65 * 32 = 4,224 + 128 + 2,112 + 2,080 = 8,544
        assertEquals(50 * 32 + 16 * 32 + 2 * 8_544 + 33 * 50, gpt.totalParams());
        ModelIR seq2seq = model("""
            import "std/transformer.dlx"
            model S(source [6, 16], target [5, 16]) -> [5, 16] {
                let memory = source -> transformer_encoder(2, 8, 32)
                transformer_cross_decoder(2, 8, 32)(target, memory)
            }
            """);
        // encoder 4 (16² + 16) + 64 + 17 * 32 + 33 * 16 = 2,224; the decoder adds a second attention and layer norm
        assertEquals(2_224 + 2_224 + 1_088 + 32, seq2seq.totalParams());
    }

    @Test
    void aMissingLibraryFileIsAClearError() {
        Compilation c = compile("import \"std/nope.dlx\"\nmodel M(x [4]) { dense 2 }\n");
        List<Diagnostic> errors = c.diagnostics().sorted().stream().filter(Diagnostic::isError).toList();
        assertEquals(1, errors.size(), errors.toString());
        Diagnostic d = errors.get(0);
        assertEquals(Code.IMPORT_NOT_FOUND, d.code());
        assertEquals("the standard library has no file `std/nope.dlx`", d.message());
        assertTrue(d.notes().stream().anyMatch(n -> n.contains("std/transformer.dlx")), d.notes().toString());
    }

    @Test
    void errorsInsideTheLibraryNameItsFile() {
        // a width that is not heads * key_dim: the residual add inside the block fails, shown in std/transformer.dlx
        Compilation c = compile("import \"std/transformer.dlx\"\nmodel M(x [4, 10]) { transformer_encoder(2, 4, 8) }\n");
        Diagnostic d = c.diagnostics().sorted().stream().filter(Diagnostic::isError).findFirst().orElseThrow();
        assertEquals(Code.MERGE_SHAPE_MISMATCH, d.code(), d.toString());
        assertTrue(d.span().file().displayName().equals("std/transformer.dlx")
                || d.secondary().stream().anyMatch(l -> l.span().file().displayName().equals("std/transformer.dlx")), d.toString());
    }
}
