package dev.dlx.runtime.data;

import java.util.List;

/**
 * What a text read into word-embedding examples keeps besides the examples: the vocabulary (ids
 * 0 `<pad>` and 1 `<unk>`, then the words from the most frequent), how often each id occurs in the
 * text, and the sampler that draws skip-gram and CBOW examples anew every epoch (null for
 * co-occurrence counts, which stay).
 */
public record WordData(List<String> vocabulary, long[] counts, WordSampler sampler) {
    public WordData {
        vocabulary = List.copyOf(vocabulary);
        counts = counts.clone();
    }
}
