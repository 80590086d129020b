package org.latentlens.model.embedded;

import java.nio.file.Path;
import org.latentlens.io.WeightSource;

/**
 * A model that ships inside a Maven artifact, unpacked into a HuggingFace-layout folder in the user's cache.
 *
 * @param id the model's HuggingFace id, for example {@code sentence-transformers/all-MiniLM-L6-v2}
 * @param folder the folder holding {@code config.json}, {@code tokenizer.json}, {@code tokenizer_config.json}
 *               and the original {@code model.onnx}
 * @param weights the weights under HuggingFace names (imported from {@code model.onnx}); close to release them
 */
public record EmbeddedModel(String id, Path folder, WeightSource weights) implements AutoCloseable {

    /** Releases the weights. */
    @Override
    public void close() {
        weights.close();
    }
}
