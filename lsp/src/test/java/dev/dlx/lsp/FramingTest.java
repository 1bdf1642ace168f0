package dev.dlx.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A broken message stream ends the server with a line that says why (exit 1), instead of leaving
 * it alive and answering nothing; a well-framed `shutdown` then `exit` still ends it with 0.
 */
class FramingTest {
    private static String message(String json) {
        return "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json;
    }

    private static final String INIT = message("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");

    private record Outcome(int code, String log) {}

    private static Outcome serve(String input) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int[] code = {-1};
        Thread t = new Thread(() -> code[0] = DlxLsp.serve(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            new ByteArrayOutputStream(), new PrintStream(log, true, StandardCharsets.UTF_8)));
        t.setDaemon(true);
        t.start();
        t.join(60_000); // a hang detector only: each case ends as soon as its input is read
        if (t.isAlive()) fail("the server is still running on: " + input.substring(0, Math.min(200, input.length())));
        return new Outcome(code[0], log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void eachBrokenFramingEndsTheServerWithTheReason() throws Exception {
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("no Content-Length", new String[] {INIT + "Content-Type: x\r\n\r\n{}", "no Content-Length"});
        cases.put("negative", new String[] {INIT + "Content-Length: -5\r\n\r\n{}", "not a byte count"});
        cases.put("not a number", new String[] {INIT + "Content-Length: ten\r\n\r\n{}", "not a byte count"});
        cases.put("oversized", new String[] {INIT + "Content-Length: 99999999999\r\n\r\n{}", "not a byte count"});
        cases.put("too large", new String[] {INIT + "Content-Length: 2000000000\r\n\r\n{}", "longer than"});
        cases.put("shorter than the body", new String[] {INIT + "Content-Length: 2\r\n\r\n{\"a\":1}" + message("{}"), "no Content-Length"});
        cases.put("longer than the input", new String[] {INIT + "Content-Length: 500\r\n\r\n{}", "short of"});
        cases.put("nested 100,000 deep", new String[] {INIT + message("[".repeat(100_000) + "]".repeat(100_000)), "levels deep"});
        for (var c : cases.entrySet()) {
            Outcome o = serve(c.getValue()[0]);
            assertEquals(1, o.code(), c.getKey() + ": " + o.log());
            assertTrue(o.log().contains(c.getValue()[1]), c.getKey() + ": " + o.log());
            assertTrue(!o.log().contains("\tat "), c.getKey() + ": " + o.log());
        }
    }

    @Test
    void aWellFramedSessionEndsCleanly() throws Exception {
        Outcome o = serve(INIT + message("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}")
            + message("{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"));
        assertEquals(0, o.code(), o.log());
        assertTrue(!o.log().contains("cannot be followed"), o.log());
    }

    @Test
    void bracketsInsideStringsDoNotCountAsNesting() {
        assertEquals(null, Framing.depth(("{\"text\":\"" + "[".repeat(5_000) + "\\\"\"}").getBytes(StandardCharsets.UTF_8)));
    }
}
