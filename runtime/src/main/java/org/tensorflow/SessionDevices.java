package org.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.KernelDef;
import org.tensorflow.proto.KernelList;

/**
 * What TensorFlow's native library offers for devices, read through the C API (like {@link
 * TargetedSession}, one of the two places dlx reaches below TensorFlow Java's public API, which
 * lists no devices): the devices a session with a given configuration sees, and whether the
 * library was built with GPU kernels at all (the `linux-x86_64-gpu` native of
 * `tensorflow-core-native`, not the CPU one).
 */
public final class SessionDevices {
    private SessionDevices() {}

    /** One device a session sees: its full name ({@code /job:localhost/replica:0/task:0/device:GPU:0}), type and memory. */
    public record Seen(String name, String type, long memoryBytes) {}

    /** The devices a session opened with {@code config} sees (creating a GPU's device once per process, as every session does). */
    public static List<Seen> of(ConfigProto config) {
        TensorFlow.version(); // loads the native library
        try (PointerScope scope = new PointerScope()) {
            TF_Status status = TF_Status.newStatus();
            TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
            byte[] bytes = config.toByteArray();
            tensorflow.TF_SetConfig(options, new BytePointer(bytes), bytes.length, status);
            status.throwExceptionIfNotOK();
            TF_Graph graph = tensorflow.TF_NewGraph();
            TF_Session session = tensorflow.TF_NewSession(graph, options, status);
            try {
                status.throwExceptionIfNotOK();
                TF_DeviceList list = tensorflow.TF_SessionListDevices(session, status);
                status.throwExceptionIfNotOK();
                List<Seen> out = new ArrayList<>();
                try {
                    for (int i = 0, n = tensorflow.TF_DeviceListCount(list); i < n; i++) {
                        String name = tensorflow.TF_DeviceListName(list, i, status).getString();
                        String type = tensorflow.TF_DeviceListType(list, i, status).getString();
                        long memory = tensorflow.TF_DeviceListMemoryBytes(list, i, status);
                        status.throwExceptionIfNotOK();
                        out.add(new Seen(name, type, memory));
                    }
                } finally {
                    tensorflow.TF_DeleteDeviceList(list);
                }
                return out;
            } finally {
                if (session != null && !session.isNull()) {
                    TF_Status closing = TF_Status.newStatus();
                    tensorflow.TF_CloseSession(session, closing);
                    tensorflow.TF_DeleteSession(session, closing);
                }
                tensorflow.TF_DeleteGraph(graph);
            }
        }
    }

    /** Whether the native library holds GPU kernels (of MatMul, which every GPU build registers). */
    public static boolean builtWithGpu() {
        TensorFlow.version();
        try (PointerScope scope = new PointerScope()) {
            TF_Status status = TF_Status.newStatus();
            TF_Buffer buffer = tensorflow.TF_GetRegisteredKernelsForOp("MatMul", status);
            status.throwExceptionIfNotOK();
            try {
                KernelList kernels = KernelList.parseFrom(buffer.copyData());
                for (KernelDef k : kernels.getKernelList()) if (k.getDeviceType().equals("GPU")) return true;
                return false;
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException("TensorFlow's kernel list cannot be read: " + e.getMessage(), e);
            } finally {
                tensorflow.TF_DeleteBuffer(buffer);
            }
        }
    }
}
