package dev.dlx.compiler.diag;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** Diagnostics as JSON objects for tools (`dlxc check --format json`). Lines and columns are 1-based. */
public final class JsonRenderer {
    private JsonRenderer() {}

    public static JsonObject render(Diagnostic d) {
        JsonObject o = new JsonObject();
        o.addProperty("severity", d.severity().word());
        o.addProperty("code", d.code().id());
        o.addProperty("message", d.message());
        o.add("primary", label(d.primary()));
        JsonArray secondary = new JsonArray();
        for (Label l : d.secondary()) secondary.add(label(l));
        o.add("secondary", secondary);
        JsonArray notes = new JsonArray();
        d.notes().forEach(notes::add);
        o.add("notes", notes);
        if (d.help() != null) o.addProperty("help", d.help());
        return o;
    }

    private static JsonObject label(Label l) {
        Span s = l.span();
        JsonObject o = new JsonObject();
        o.addProperty("file", s.file().displayName());
        o.addProperty("line", s.line());
        o.addProperty("column", s.column());
        o.addProperty("endLine", s.file().line(s.end()));
        o.addProperty("endColumn", s.file().column(s.end()));
        o.addProperty("label", l.text());
        return o;
    }
}
