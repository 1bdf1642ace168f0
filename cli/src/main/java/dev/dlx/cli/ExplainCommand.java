package dev.dlx.cli;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.Layers;
import dev.dlx.compiler.schema.Attr;
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
            + "or documents one layer kind (e.g. `conv`).")
final class ExplainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TOPIC", description = "a code such as DLX0401, `codes`, `layers`, or a layer kind")
    String topic;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Code> code = Code.byId(topic);
        if (code.isPresent()) {
            out.println(code.get().id() + ": " + code.get().title());
            out.println();
            out.println(code.get().explanation());
            return Main.OK;
        }
        if (topic.equals("codes")) {
            for (Code c : Code.values()) out.printf("%s  %s%n", c.id(), c.title());
            return Main.OK;
        }
        if (topic.equals("layers")) {
            for (LayerKind k : Layers.all()) out.printf("%-16s %s%n", k.name(), k.doc());
            return Main.OK;
        }
        Optional<LayerKind> kind = Layers.lookup(topic);
        if (kind.isPresent()) {
            LayerKind k = kind.get();
            out.println(k.name() + ": " + k.doc());
            out.println("usage: " + k.schema().usage(k.name()));
            if (!k.aliases().isEmpty()) out.println("also written: " + String.join(", ", k.aliases()));
            for (Attr a : k.schema().attrs()) {
                Object d = a.defaultValue();
                if (d instanceof java.util.List<?> l && l.size() == 1) d = l.get(0);
                String def = d == null ? (a.isRequired() ? "required" : "optional") : "default " + d;
                String range = a.rangeText().equals("any") ? "" : ", " + a.rangeText();
                out.printf("  %-18s %s (%s%s; %s)%n", a.name(), a.doc(), a.type().description(), range, def);
            }
            return Main.OK;
        }
        spec.commandLine().getErr().println("dlxc: nothing to explain for `" + topic + "`; try a code such as DLX0401, "
            + "`codes` or `layers`");
        return Main.USAGE;
    }
}
