package dev.dlx.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Test;

/** Token offsets are UTF-16 units, as every span: characters beyond the BMP do not shift what follows. */
class TokensTest {
    @Test
    void offsetsAfterAnEmojiCountUtf16Units() {
        String text = "// 🧠🧠\nmodel M(x [4]) { dense 2 }\n";
        List<Token> tokens = Tokens.lex(text);
        Token model = tokens.stream().filter(t -> t.getText().equals("model")).findFirst().orElseThrow();
        assertEquals(text.indexOf("model"), model.getStartIndex());
        assertEquals(text.indexOf("model") + 4, model.getStopIndex());
        Token comment = tokens.get(0);
        assertEquals("// 🧠🧠", comment.getText());
        assertEquals(text.indexOf('\n') - 1, comment.getStopIndex(), "the comment ends on the emoji's second unit");
    }

    @Test
    void spansOfTheParserSelectTheirOwnText() {
        String text = "// 🎉\nmodel Net(x [4]) {\n    dense 2 // 🎉🎉\n    relu\n}\n";
        SourceFile file = SourceFile.of("t.dlx", text);
        Program p = Parser.parse(file, new Diagnostics());
        Decl.Model m = p.all(Decl.Model.class).get(0);
        assertEquals("Net", m.name().span().text());
        Span relu = ((Stmt.Chain) m.body().get(1)).chain().get(0).span();
        assertEquals("relu", relu.text());
        assertEquals(4, relu.line());
        assertEquals(5, relu.column());
    }
}
