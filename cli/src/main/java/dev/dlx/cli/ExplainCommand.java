package dev.dlx.cli;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.Layers;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `dlxc explain DLX0401`, `dlxc explain layers`, `dlxc explain conv`. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explains a diagnostic code (e.g. DLX0401), lists the layer kinds (`layers`), the codes (`codes`), "
            + "or documents one layer kind (e.g. `conv`) or another word of the language (e.g. `adam`, `kfold`, `stride`).")
final class ExplainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TOPIC", description = "a code such as DLX0401, `codes`, `layers`, a layer kind or a word of the language")
    String topic;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        Optional<String> text = explanation(topic);
        if (text.isPresent()) {
            spec.commandLine().getOut().println(text.get());
            return Main.OK;
        }
        spec.commandLine().getErr().println("dlxc: nothing to explain for `" + topic + "`; try a code such as DLX0401, "
            + "`codes`, `layers`, a layer kind or a word of the language such as `adam`");
        return Main.USAGE;
    }

    /** What `dlxc explain TOPIC` prints, or empty when there is nothing to explain. */
    static Optional<String> explanation(String topic) {
        java.io.StringWriter text = new java.io.StringWriter();
        PrintWriter out = new PrintWriter(text);
        Optional<Code> code = Code.byId(topic);
        if (code.isPresent()) {
            out.println(code.get().id() + ": " + code.get().title());
            out.println();
            out.println(code.get().explanation());
        } else if (topic.equals("codes")) {
            for (Code c : Code.values()) out.printf("%s  %s%n", c.id(), c.title());
        } else if (topic.equals("layers")) {
            for (LayerKind<?> k : Layers.all()) out.printf("%-16s %s%n", k.name(), k.doc());
        } else if (Layers.lookup(topic).isPresent()) {
            LayerKind<?> k = Layers.lookup(topic).get();
            out.println(k.name() + ": " + k.doc());
            out.println("usage: " + k.schema().usage(k.name()));
            if (!k.aliases().isEmpty()) out.println("also written: " + String.join(", ", k.aliases()));
            StringBuilder attrs = new StringBuilder();
            WordExplanations.attrLines(k.schema(), attrs);
            if (attrs.length() > 0) out.println(attrs.substring(System.lineSeparator().length()));
        } else {
            Optional<String> word = WordExplanations.explain(topic);
            if (word.isEmpty()) return Optional.empty();
            out.println(word.get());
        }
        out.flush();
        String s = text.toString();
        return Optional.of(s.endsWith(System.lineSeparator()) ? s.substring(0, s.length() - System.lineSeparator().length()) : s);
    }
}
