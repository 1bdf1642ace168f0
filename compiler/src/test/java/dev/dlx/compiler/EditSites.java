package dev.dlx.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where random-edit tests may edit a text: the [start, end) spans a pattern matches. */
public final class EditSites {
    private EditSites() {}

    /** The spans of {@code regex} in {@code text}; one empty span at 0 when there is none, so a site can always be drawn. */
    public static List<int[]> of(String text, String regex) {
        List<int[]> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) out.add(new int[] {m.start(), m.end()});
        if (out.isEmpty()) out.add(new int[] {0, 0});
        return out;
    }
}
