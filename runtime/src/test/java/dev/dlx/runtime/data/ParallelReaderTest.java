package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.train.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `source parallel`: the parts teacher forcing needs, the vocabularies, the splits the files make, and too long a pair. */
class ParallelReaderTest {
    @TempDir Path dir;

    static final String PROGRAM = """
        dataset pairs {
            source parallel "train.csv" val "val.csv" test "test.csv" tokens char vocab 8 length 5 target_vocab 8 target_length %d
        }
        model Copy(source [5], previous [%d]) {
            let encoded = source -> embedding 8 4 mask_zero -> lstm 4 return_sequences
            let decoded = previous -> embedding 8 4 -> lstm 4 return_sequences
            let target = attention(decoded, encoded) -> dense 8 -> softmax
        }
        train Copy on pairs {
            loss sparse_categorical_crossentropy
            optimizer adam
        }
        """;

    private LoadedData load(int targetLength, String train) throws Exception {
        Compilation c = Fixtures.compile(dir, PROGRAM.formatted(targetLength, targetLength),
            Map.of("train.csv", train, "val.csv", "source,target\nba,b\n", "test.csv", "source,target\n\"a,b\",ab\nzz,zz\n"));
        return LoadedData.load(Fixtures.dataset(c), 1);
    }

    @Test
    void teacherForcingShiftsTheTargetBehindStartAndLabelsItWithEnd() throws Exception {
        LoadedData d = load(4, "source,target\nab,ab\naab,ba\nb,a\n");
        // source vocabulary: <pad>, <unk>, then by frequency: a (4 times), b (3), ',' never in training
        assertEquals(List.of("<pad>", "<unk>", "a", "b"), d.part("source").classNames().subList(0, 4));
        // target: <pad> <unk> <start> <end>, then a (3), b (2)
        List<String> tv = d.part("target").classNames();
        assertEquals(List.of("<pad>", "<unk>", "<start>", "<end>", "a", "b"), tv.subList(0, 6));
        assertEquals(6, d.samples().count(), "3 training, 1 validation, 2 test pairs");
        float[] src = d.part("source").samples().x();
        assertArrayEquals(new float[] {2, 3, 0, 0, 0}, java.util.Arrays.copyOfRange(src, 0, 5), "ab padded");
        assertArrayEquals(new float[] {2, 1, 3, 0, 0}, java.util.Arrays.copyOfRange(src, 20, 25), "a,b: the comma is <unk>");
        float[] prev = d.part("previous").samples().x();
        int[] target = d.part("target").samples().classes();
        // pair 2: aab -> ba: previous <start> b a <pad>, target b a <end> <pad>
        assertArrayEquals(new float[] {2, 5, 4, 0}, java.util.Arrays.copyOfRange(prev, 4, 8));
        assertArrayEquals(new int[] {5, 4, 3, 0}, java.util.Arrays.copyOfRange(target, 4, 8));
        // pair 6 (test): zz -> zz, z unknown on both sides
        assertArrayEquals(new int[] {1, 1, 3, 0}, java.util.Arrays.copyOfRange(target, 20, 24));
        assertNull(d.testSamples(), "the test pairs are the last rows, split in file order");
        var splits = Splitter.split(d, 99);
        assertArrayEquals(new int[] {0, 1, 2}, splits.train().index());
        assertArrayEquals(new int[] {3}, splits.val().index());
        assertArrayEquals(new int[] {4, 5}, splits.test().index());
    }

    @Test
    void aTargetWithoutRoomForEndIsAnErrorAtItsLine() throws Exception {
        DataException e = assertThrows(DataException.class, () -> load(3, "source,target\nab,ab\naab,bab\n"));
        String text = e.render();
        assertTrue(text.contains("train.csv:3"), text);
        assertTrue(text.contains("target has 3 tokens") && text.contains("raise `target_length` to 4"), text);
    }
}
