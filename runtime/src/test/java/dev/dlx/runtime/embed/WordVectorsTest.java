package dev.dlx.runtime.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordVectorsTest {
    @TempDir Path dir;

    /** king - man + woman = queen in two dimensions: x is royalty, y is gender. */
    private static WordVectors royals() {
        return new WordVectors(List.of("<pad>", "<unk>", "king", "queen", "man", "woman", "apple"), new float[][] {
            {0, 0}, {5, 5}, {4, 1}, {4, -1}, {1, 1}, {1, -1}, {-3, 0.1f}});
    }

    @Test
    void nearestIsByCosineAndLeavesOutTheWordAndSpecialRows() {
        WordVectors v = royals();
        List<WordVectors.Neighbour> n = v.nearest("king", 3);
        // cos(king, man) = (4 + 1) / (sqrt(17) sqrt(2)) = 0.857493; queen (16 - 1) / 17 = 0.882353; woman 3 / sqrt(34) = 0.514496
        assertEquals(List.of("queen", "man", "woman"), n.stream().map(WordVectors.Neighbour::word).toList(), "<unk> at (5, 5) is not an answer");
        assertEquals(15.0 / 17, n.get(0).similarity(), 1e-6);
        assertEquals(5 / (Math.sqrt(17) * Math.sqrt(2)), n.get(1).similarity(), 1e-6);
    }

    @Test
    void analogyIsTheWordNearestToBMinusAPlusC() {
        assertEquals("queen", royals().analogy("man", "king", "woman", 1).get(0).word());
        assertEquals("woman", royals().analogy("king", "queen", "man", 1).get(0).word());
    }

    @Test
    void unknownWordsAreErrorsWithASuggestion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> royals().nearest("kinq", 3));
        assertTrue(e.getMessage().contains("`kinq` is not in the vocabulary") && e.getMessage().contains("did you mean `king`?"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> royals().nearest("<pad>", 3));
        assertEquals(2, royals().require("King"), "words are lower-cased as the text's were");
    }

    @Test
    void word2vecTextFormatRoundTrips() throws IOException {
        Path file = dir.resolve("v.txt");
        royals().writeText(file);
        List<String> lines = Files.readAllLines(file);
        assertEquals("7 2", lines.get(0));
        assertEquals("king 4.0 1.0", lines.get(3));
        WordVectors back = WordVectors.readText(file);
        assertEquals(royals().words(), back.words());
        assertArrayEquals(new float[] {-3, 0.1f}, back.vector(6));
    }

    @Test
    void malformedFilesNameTheLine() throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.writeString(file, "2 3\nwhale 1 2 3\nship 1 2\n");
        assertEquals("bad.txt:3: `ship` has 2 numbers, but the header says 3 dimensions",
            assertThrows(IOException.class, () -> WordVectors.readText(file)).getMessage());
        Files.writeString(file, "whale 1 2 3\n");
        assertTrue(assertThrows(IOException.class, () -> WordVectors.readText(file)).getMessage().startsWith("bad.txt:1: the word2vec text format"));
        Files.writeString(file, "2 1\nwhale 1\nwhale x\n");
        assertEquals("bad.txt:3: `x` is not a number (dimension 1 of `whale`)", assertThrows(IOException.class, () -> WordVectors.readText(file)).getMessage());
        Files.writeString(file, "3 1\nwhale 1\nship 2\n");
        assertEquals("bad.txt: the header says 3 words, but the file has 2", assertThrows(IOException.class, () -> WordVectors.readText(file)).getMessage());
    }
}
