package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reliability probe's hostile inputs (`../shared/defects/hostile/make_repro.sh`: NUL bytes in
 * paths, 40,000 `@`, runs of separators, `/dev/zero` and a FIFO as imports and data, IDX headers
 * whose element counts overflow, a gzip bomb, deep nesting, Latin-1): each ends in a clear error or
 * a success, with no Java stack trace. The timeout only detects a hang (a FIFO read blocks forever).
 */
class HostileInputsTest {
    @TempDir Path dir;

    static final Path SCRIPT = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize()
        .resolveSibling("shared").resolve("defects/hostile/make_repro.sh");

    @Test
    void everyReproducerEndsInAClearErrorOrASuccess() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(SCRIPT), "the reproducers are not beside the repository: " + SCRIPT);
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), dir.toString()).redirectErrorStream(true).start();
        String made = new String(p.getInputStream().readAllBytes());
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        Assumptions.assumeTrue(done && p.exitValue() == 0, "make_repro.sh could not write the reproducers here (it needs python3): " + made);
        List<Path> programs = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(f -> f.toString().endsWith(".dlx")).sorted().forEach(programs::add);
        }
        assertTrue(programs.size() >= 14, "the reproducers were written: " + programs);
        List<String> failures = new ArrayList<>();
        for (Path f : programs) {
            String name = f.getFileName().toString();
            List<String[]> commands = new ArrayList<>();
            commands.add(new String[] {"check", f.toString()});
            if (name.contains("fmt")) commands.add(new String[] {"fmt", "--check", f.toString()});
            if (name.startsWith("d01") || name.startsWith("c10")) {
                commands.add(new String[] {"run", f.toString(), "--runs", dir.resolve("runs").toString(), "--progress", "plain"});
            }
            for (String[] args : commands) {
                CheckCommandTest.Run r = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> CheckCommandTest.dlxc(args),
                    "dlxc " + String.join(" ", args) + " hangs");
                String all = r.out() + r.err();
                boolean trace = all.contains("\tat ") || all.contains("Exception") || all.contains("OutOfMemoryError");
                boolean clear = r.code() == 0 || (r.code() <= 2 && (all.contains("error") || all.contains("dlxc:")));
                if (trace || !clear) failures.add("dlxc " + String.join(" ", args) + " -> exit " + r.code() + ":\n" + tail(all));
            }
        }
        assertEquals(List.of(), failures);
    }

    private static String tail(String s) {
        return s.length() <= 2000 ? s : "..." + s.substring(s.length() - 2000);
    }
}
