package dev.dlx.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw JSON-RPC messages over the server's streams, as a careless or hostile client writes them:
 * every error is a JSON-RPC error with its standard code, and no Java stack trace shows, neither in
 * the response nor on standard error.
 */
class JsonRpcErrorsTest {
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream savedErr;
    private LspSession.PipeWriter toServer;
    private InputStream fromServer;

    @BeforeEach
    void start() throws IOException {
        savedErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        PipedInputStream serverIn = new PipedInputStream(1 << 20);
        toServer = new LspSession.PipeWriter(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 20);
        LspSession.PipeWriter toClient = new LspSession.PipeWriter(clientIn);
        fromServer = clientIn;
        DlxLsp.launcher(new DlxLanguageServer(DlxLanguageServer.DEFAULT_DEBOUNCE_MILLIS, () -> { }), serverIn, toClient)
            .startListening();
    }

    @AfterEach
    void stop() {
        toServer.close();
        System.setErr(savedErr);
    }

    private void send(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        toServer.write(head, 0, head.length);
        toServer.write(body, 0, body.length);
    }

    /** The next message from the server that answers request {@code id} (notifications are skipped). */
    private JsonObject response(int id) throws IOException {
        while (true) {
            JsonObject m = JsonParser.parseString(readFrame()).getAsJsonObject();
            if (m.has("id") && m.get("id").getAsInt() == id) return m;
        }
    }

    private String readFrame() throws IOException {
        int length = -1;
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = fromServer.read();
            if (b < 0) throw new IOException("the server closed its output");
            if (b == '\n') {
                String header = line.toString().trim();
                line.setLength(0);
                if (header.isEmpty()) break;
                if (header.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(header.substring(15).trim());
            } else {
                line.append((char) b);
            }
        }
        return new String(fromServer.readNBytes(length), StandardCharsets.UTF_8);
    }

    private JsonObject error(int id, String method, String params) throws IOException {
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}");
        JsonObject r = response(id);
        assertTrue(r.has("error"), r.toString());
        JsonObject e = r.getAsJsonObject("error");
        assertFalse(e.toString().contains("\\tat ") || e.toString().contains("\\n\\tat"), "a stack trace in " + e);
        assertFalse(e.has("data") && e.get("data").toString().contains("Exception"), "a stack trace in " + e);
        return e;
    }

    @Test
    void unknownMethodsAndMissingParamsGetTheirCodesAndNoTrace() throws IOException {
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");
        assertTrue(response(1).has("result"));
        send("{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");

        assertEquals(-32601, error(2, "dlx/noSuchMethod", "{}").get("code").getAsInt());
        assertEquals(-32601, error(3, "textDocument/noSuchRequest", null).get("code").getAsInt());

        JsonObject hover = error(4, "textDocument/hover", null);
        assertEquals(-32602, hover.get("code").getAsInt());
        assertTrue(hover.get("message").getAsString().contains("textDocument/hover"), hover.toString());
        assertEquals(-32602, error(5, "textDocument/formatting", null).get("code").getAsInt());
        assertEquals(-32602, error(6, "textDocument/references", null).get("code").getAsInt());
        assertEquals(-32602, error(7, "textDocument/hover",
            "{\"textDocument\":{},\"position\":{\"line\":0,\"character\":0}}").get("code").getAsInt());

        JsonObject wrongType = error(10, "textDocument/hover", "5");
        assertEquals(-32602, wrongType.get("code").getAsInt(), wrongType.toString());
        assertFalse(wrongType.toString().contains("java."), wrongType.toString());

        // Notifications without params have no answer, and break nothing.
        send("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\"}");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{}}");
        send("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"textDocument/formatting\",\"params\":"
            + "{\"textDocument\":{\"uri\":\"file:///nowhere/x.dlx\"},\"options\":{\"tabSize\":4,\"insertSpaces\":true}}}");
        JsonObject fine = response(8);
        assertEquals("[]", fine.get("result").toString(), fine.toString());

        send("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"shutdown\"}");
        assertTrue(response(9).has("result"));
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertFalse(err.contains("\tat "), "a stack trace on standard error:\n" + err);
    }
}
