package io.ragsync.index;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The offline default embedding model: all-MiniLM-L6-v2 (ONNX, 384 dimensions), shipped inside its Maven
 * artifact, run in-process. Loaded once per JVM, on first use; thread-safe.
 */
@Component("localEmbeddingModel")
public class LocalEmbeddingModel {

    public static final String NAME = "all-minilm-l6-v2";
    public static final int DIMENSION = 384;

    private static volatile EmbeddingModel model;

    static EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (LocalEmbeddingModel.class) {
                m = model;
                if (m == null) {
                    m = new AllMiniLmL6V2EmbeddingModel();
                    model = m;
                }
            }
        }
        return m;
    }

    /** One vector per text, in order. */
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<Embedding> embeddings = model().embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            vectors.add(e.vector());
        }
        return vectors;
    }
}
