package dev.dlx.runtime.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Telling a run that trains from one that was killed: while run.json says `running`, the training
 * process holds an operating-system lock on `run.lock`, which the system releases when the process
 * ends, however it ends. A command that opens a `running` run and can take the lock knows that
 * nobody trains it: it removes what the killed process left half-written (`.NAME.tmp-*`) and marks
 * the run `interrupted`, so that `--resume` continues it.
 */
final class RunLock {
    static final String FILE = "run.lock";
    /** The locks this process holds, by run folder. */
    private static final Map<Path, FileLock> HELD = new ConcurrentHashMap<>();

    private RunLock() {}

    /** Takes or releases this process's lock after run.json was written with {@code run}'s status. */
    static void follow(Path dir, JsonElement run) {
        Path key = dir.toAbsolutePath().normalize();
        boolean running = run.isJsonObject() && "running".equals(status(run.getAsJsonObject()));
        if (running) {
            HELD.computeIfAbsent(key, k -> {
                try {
                    FileChannel ch = FileChannel.open(k.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = ch.tryLock();
                    if (lock == null) ch.close();
                    return lock;
                } catch (IOException | OverlappingFileLockException e) {
                    return null; // best effort: without the lock, a later command may take this run for killed
                }
            });
        } else {
            FileLock lock = HELD.remove(key);
            if (lock != null) {
                try {
                    lock.release();
                    lock.channel().close();
                } catch (IOException e) {
                    // the lock goes with the process
                }
            }
        }
    }

    /** When {@code folder}'s run says `running` but no process trains it: cleans it up, marks it interrupted, and returns true. */
    static boolean recoverAbandoned(RunFolder folder) throws IOException {
        JsonObject run;
        try {
            run = folder.readJson(RunFolder.RUN_JSON);
        } catch (IOException | RuntimeException damaged) {
            return false; // reported by whoever reads it
        }
        if (!"running".equals(status(run))) return false;
        Path key = folder.dir().toAbsolutePath().normalize();
        if (HELD.containsKey(key)) return false;
        Path lockFile = key.resolve(FILE);
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException inThisProcess) {
                return false;
            }
            if (lock == null) return false; // another process trains it
            try {
                removeTemporaries(key);
                run.addProperty("status", "interrupted");
                run.add("interrupted", new JsonPrimitive(Instant.now().toString() + " (found killed while training)"));
                folder.writeJson(RunFolder.RUN_JSON, run);
            } finally {
                lock.release();
            }
        } catch (IOException | UnsupportedOperationException e) {
            return false; // a read-only folder stays as it is
        }
        return true;
    }

    private static String status(JsonObject run) {
        JsonElement s = run.get("status");
        return s != null && s.isJsonPrimitive() ? s.getAsString() : null;
    }

    /** The half-written files {@link dev.dlx.runtime.train.AtomicWrite} leaves when killed, in the folder and its folds. */
    private static void removeTemporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir, 2)) {
            List<Path> tmp = s.filter(Files::isRegularFile)
                .filter(p -> p.getFileName().toString().matches("\\..+\\.tmp-[0-9a-f]+")).toList();
            for (Path p : tmp) Files.deleteIfExists(p);
        }
    }
}
