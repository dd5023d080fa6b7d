package io.ragsync.targets.local;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.util.Assert;

/** The chunks to embed in batches (a known hash reuses its vector); vectors L2-normalised: cosine = dot product. */
public final class EmbeddingPlan {

    private final List<TextChunker.Chunk> chunks;
    private final float[][] vectors;
    private final List<Integer> missing = new ArrayList<>();
    private final int batchSize;
    private int computed;

    public EmbeddingPlan(List<TextChunker.Chunk> chunks, Map<String, float[]> reusable, int batchSize) {
        Assert.isTrue(batchSize > 0, () -> "embedding batch size must be positive, got " + batchSize);
        this.chunks = List.copyOf(chunks);
        this.vectors = new float[chunks.size()][];
        this.batchSize = batchSize;
        for (int i = 0; i < chunks.size(); i++) {
            vectors[i] = reusable.get(chunks.get(i).contentHash());
            if (vectors[i] == null) {
                missing.add(i);
            }
        }
    }

    public List<TextChunker.Chunk> getChunks() {
        return chunks;
    }

    public int getBatchCount() {
        return (missing.size() + batchSize - 1) / batchSize;
    }

    /** The texts of batch {@code batch} (0-based). */
    public List<String> batchTexts(int batch) {
        return batchIndices(batch).stream().map(i -> chunks.get(i).content()).toList();
    }

    /** Takes the vectors of batch {@code batch}, in the order of {@link #batchTexts}. */
    public synchronized void accept(int batch, List<float[]> batchVectors) {
        List<Integer> indices = batchIndices(batch);
        Assert.state(batchVectors != null && batchVectors.size() == indices.size(), () -> "expected " + indices.size()
                + " embeddings for batch " + batch + ", got " + (batchVectors == null ? 0 : batchVectors.size()));
        for (int k = 0; k < indices.size(); k++) {
            vectors[indices.get(k)] = normalize(batchVectors.get(k));
            computed++;
        }
    }

    public List<float[]> vectors() {
        int unembedded = Arrays.asList(vectors).indexOf(null);
        Assert.state(unembedded < 0, () -> "chunk " + unembedded + " has no embedding");
        return Arrays.asList(vectors);
    }

    public int getComputed() {
        return computed;
    }

    public int getReused() {
        return chunks.size() - missing.size();
    }

    public int getMissing() {
        return missing.size();
    }

    private List<Integer> batchIndices(int batch) {
        int from = batch * batchSize;
        if (batch < 0 || from >= missing.size()) {
            throw new IndexOutOfBoundsException("no embedding batch " + batch);
        }
        return missing.subList(from, Math.min(missing.size(), from + batchSize));
    }

    /** The unit vector of v (v itself when it is all zeros). */
    public static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        if (sum == 0 || Math.abs(norm - 1.0) < 1e-6) {
            return v;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}
