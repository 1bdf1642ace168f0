package dev.dlx.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster descriptions: a cluster file, TF_CONFIG, N local workers, and the clear errors of bad ones. */
class ClusterTest {

    @Test
    void aClusterFileAndTfConfigNameTheSameWorkers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cluster.json");
        Files.writeString(file, "{\"worker\": [\"host-a:2222\", \"host-b:2222\"]}");
        Cluster c = Cluster.fromFile(file, 1, 30);
        assertEquals(List.of("host-a:2222", "host-b:2222"), c.workers());
        assertEquals(1, c.task());
        assertEquals("grpc://host-b:2222", c.target());
        Cluster t = Cluster.fromTfConfig("{\"cluster\": {\"worker\": [\"host-a:2222\", \"host-b:2222\"]}, "
            + "\"task\": {\"type\": \"worker\", \"index\": 0}}", 30);
        assertEquals(c.workers(), t.workers());
        assertTrue(t.chief());
        assertEquals(c.workers(), Cluster.fromFile(write(dir, "{\"worker\": [\"host-a:2222\", \"host-b:2222\"]}"), 0, 30).workers());
    }

    @Test
    void localWorkersGetDistinctLoopbackPorts() throws Exception {
        Cluster c = Cluster.local(3, 30);
        assertEquals(3, c.size());
        assertEquals(3, c.workers().stream().distinct().count());
        assertTrue(c.workers().stream().allMatch(w -> w.startsWith("localhost:")));
    }

    @Test
    void badDescriptionsAreClearErrors(@TempDir Path dir) throws Exception {
        assertEquals("task 2 is out of range: " + dir.resolve("a.json") + " lists 2 workers (tasks 0..1)",
            assertThrows(Cluster.ClusterException.class, () -> Cluster.fromFile(write(dir, "a.json", "{\"worker\": [\"a:1\", \"b:2\"]}"), 2, 30))
                .getMessage());
        assertTrue(assertThrows(Cluster.ClusterException.class, () -> Cluster.fromFile(write(dir, "b.json", "{\"worker\": [\"a:1\",]"), 0, 30))
            .getMessage().contains("is not valid JSON"));
        assertTrue(assertThrows(Cluster.ClusterException.class, () -> Cluster.fromFile(write(dir, "c.json", "{\"workers\": []}"), 0, 30))
            .getMessage().contains("has no \"worker\" list"));
        assertTrue(assertThrows(Cluster.ClusterException.class, () -> Cluster.fromFile(write(dir, "d.json", "{\"worker\": [\"a\"]}"), 0, 30))
            .getMessage().contains("worker `a` is not host:port"));
        assertTrue(assertThrows(Cluster.ClusterException.class, () -> Cluster.fromFile(dir.resolve("none.json"), 0, 30))
            .getMessage().startsWith("cannot read the cluster file"));
        assertTrue(assertThrows(Cluster.ClusterException.class, () -> Cluster.fromTfConfig(
            "{\"cluster\": {\"worker\": [\"a:1\"], \"ps\": [\"b:2\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}", 30))
            .getMessage().contains("job `ps` is not supported"));
        assertTrue(assertThrows(Cluster.ClusterException.class, () -> Cluster.fromTfConfig(
            "{\"cluster\": {\"worker\": [\"a:1\"]}, \"task\": {\"type\": \"chief\", \"index\": 0}}", 30))
            .getMessage().contains("task type `chief` is not supported"));
    }

    @Test
    void aPortInUseIsRefusedBeforeAnyServerStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Cluster c = new Cluster(List.of("localhost:" + taken.getLocalPort(), "localhost:1"), 0, 30);
            String message = assertThrows(Cluster.ClusterException.class, () -> Cluster.join(c)).getMessage();
            assertTrue(message.startsWith("port " + taken.getLocalPort() + " of worker 0 (`localhost:" + taken.getLocalPort() + "`) is in use"),
                message);
            assertEquals(null, Cluster.joined());
        }
    }

    private static Path write(Path dir, String text) throws Exception {
        return write(dir, "cluster.json", text);
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
