package org.tensorflow;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;

/**
 * One of the two places dlx reaches below TensorFlow Java's public API (with {@link SessionDevices}). TensorFlow's {@link Session} has
 * no target argument, yet the C API's sessions talk to a TensorFlow server when their options
 * name one (`TF_SetTarget`, `grpc://host:port`): the session then runs its graph on the cluster
 * that server belongs to, where collective operations (all-reduce) reach every worker. This
 * class builds such a session with the same C calls the public constructor makes, plus the target,
 * and hands it to the package-private constructor that wraps a native session. It lives in
 * TensorFlow's package for that constructor and for the graph's native handle; everything else in
 * dlx uses the public API.
 */
public final class TargetedSession {
    private TargetedSession() {}

    /** A session on {@code graph} whose operations run through the server at {@code target}. */
    public static Session open(Graph graph, String target, ConfigProto config) {
        try (Graph.Reference ref = graph.ref(); PointerScope scope = new PointerScope()) {
            TF_Status status = TF_Status.newStatus();
            TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
            tensorflow.TF_SetTarget(options, target);
            byte[] bytes = config.toByteArray();
            BytePointer proto = new BytePointer(bytes);
            tensorflow.TF_SetConfig(options, proto, bytes.length, status);
            status.throwExceptionIfNotOK();
            TF_Session handle = tensorflow.TF_NewSession(ref.nativeHandle(), options, status);
            status.throwExceptionIfNotOK();
            return new Session(graph, handle);
        }
    }
}
