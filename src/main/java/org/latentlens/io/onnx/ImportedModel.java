package org.latentlens.io.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The result of importing an ONNX export: its weights under HuggingFace names and the HuggingFace
 * {@code config.json} that describes them.
 *
 * @param onnx the parsed ONNX file
 * @param weights the weights, in HuggingFace names and layout
 * @param config the synthesised {@code config.json}
 */
public record ImportedModel(OnnxModel onnx, ImportedWeights weights, ObjectNode config) implements AutoCloseable {

    /** @return {@link #config()} as pretty-printed JSON, as it would be written to {@code config.json} */
    public String configJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(config) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e); // cannot happen for an ObjectNode
        }
    }

    /** Closes the weights. */
    @Override
    public void close() {
        weights.close();
    }
}
