package dev.dlx.lsp;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.MessageIssue;
import org.eclipse.lsp4j.jsonrpc.messages.NotificationMessage;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;
import org.eclipse.lsp4j.jsonrpc.validation.ReflectiveMessageValidator;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * How the server answers messages it cannot serve, always without a Java stack trace (neither in
 * the response nor on standard error): an unknown method gets -32601 (LSP4J's own answer), a
 * request without the params its method needs, with params of the wrong shape or with a required
 * field missing gets -32602 before any handler runs, and a failure inside a handler gets -32603
 * with a one-line message.
 */
final class JsonRpcErrors {
    private static final Map<String, JsonRpcMethod> SERVER_METHODS = ServiceEndpoints.getSupportedMethods(DlxLanguageServer.class);

    private JsonRpcErrors() {}

    /**
     * Wraps a consumer of messages: requests and notifications to the server with missing params
     * are refused as invalid (the caller answers a request with the issue's code); others pass.
     */
    static MessageConsumer checkingParams(MessageConsumer next) {
        MessageConsumer validated = new ReflectiveMessageValidator(next);
        return message -> {
            String method = method(message);
            JsonRpcMethod known = method == null ? null : SERVER_METHODS.get(method);
            if (known == null) {
                next.consume(message); // replies, client methods, and unknown methods (LSP4J answers -32601)
                return;
            }
            if (params(message) == null && known.getParameterTypes().length > 0) {
                throw new MessageIssueException(message, new MessageIssue(
                    "`" + method + "` needs params", ResponseErrorCode.InvalidParams.getValue()));
            }
            validated.consume(message); // required fields present, or -32602 naming the missing one
        };
    }

    private static String method(Message m) {
        if (m instanceof RequestMessage r) return r.getMethod();
        if (m instanceof NotificationMessage n) return n.getMethod();
        return null;
    }

    private static Object params(Message m) {
        if (m instanceof RequestMessage r) return r.getParams();
        if (m instanceof NotificationMessage n) return n.getParams();
        return null;
    }

    /**
     * LSP4J's launcher for the server, whose answers to messages that cannot be read carry no Java
     * exception: the issue's text and the exception's one-line message, and -32602 for params of a
     * server method that do not have the method's shape (LSP4J says -32700, though the JSON was read).
     */
    static final class LauncherBuilder extends LSPLauncher.Builder<LanguageClient> {
        @Override protected RemoteEndpoint createRemoteEndpoint(MessageJsonHandler jsonHandler) {
            MessageConsumer outgoing = wrapMessageConsumer(new StreamMessageConsumer(output, jsonHandler));
            RemoteEndpoint endpoint = new RemoteEndpoint(outgoing, ServiceEndpoints.toEndpoint(localServices), exceptionHandler) {
                @Override public void handle(Message message, List<MessageIssue> issues) {
                    super.handle(message, issues.stream().map(i -> withoutException(message, i)).toList());
                }
            };
            jsonHandler.setMethodProvider(endpoint);
            endpoint.setJsonHandler(jsonHandler);
            return endpoint;
        }
    }

    private static MessageIssue withoutException(Message message, MessageIssue issue) {
        if (issue.getCause() == null) return issue;
        String detail = String.valueOf(issue.getCause().getMessage()).lines().findFirst().orElse("");
        detail = detail.replaceFirst("^[\\w.$]+(Exception|Error): ", ""); // the class name says nothing to a client
        String method = method(message);
        boolean params = method != null && SERVER_METHODS.containsKey(method) && detail.contains("$.params");
        String text = params ? "the params of `" + method + "` do not have its shape: " + detail : issue.getText() + ": " + detail;
        return new MessageIssue(text, params ? ResponseErrorCode.InvalidParams.getValue() : issue.getIssueCode());
    }

    /** The response to a request whose handler failed: its own error, or -32603 in one line. */
    static ResponseError internalError(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof InvocationTargetException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ResponseErrorException e) return e.getResponseError();
        String what = "internal error in the dlx language server: " + t;
        Logger.getLogger(JsonRpcErrors.class.getName()).log(Level.SEVERE, what);
        return new ResponseError(ResponseErrorCode.InternalError, what, null);
    }

    /**
     * LSP4J's log lines go to standard error one line each, a thrown exception as its one-line
     * summary: the protocol owns standard output, and a trace helps no editor user.
     */
    static synchronized void oneLineLogs() {
        for (String name : new String[] {"org.eclipse.lsp4j", JsonRpcErrors.class.getName()}) {
            Logger logger = Logger.getLogger(name);
            for (Handler h : logger.getHandlers()) if (h instanceof OneLine) return;
            logger.setUseParentHandlers(false);
            logger.addHandler(new OneLine());
        }
    }

    private static final class OneLine extends Handler {
        @Override public void publish(LogRecord r) {
            if (!isLoggable(r)) return;
            String text = r.getMessage() == null ? "" : r.getMessage().lines().findFirst().orElse("");
            if (r.getThrown() != null) text += ": " + r.getThrown();
            System.err.println("dlxc lsp: " + r.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": " + text);
        }

        @Override public void flush() { System.err.flush(); }
        @Override public void close() { }
    }
}
