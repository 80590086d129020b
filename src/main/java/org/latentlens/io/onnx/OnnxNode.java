package org.latentlens.io.onnx;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code NodeProto} of a graph: an operator applied to named values.
 *
 * <p>PyTorch's exporter names nodes after the module path that created them, for example
 * {@code /encoder/layer.0/attention/self/query/MatMul}; the BERT importer relies on that to name
 * anonymous weights.
 *
 * @param name the node's name (field 3); may be empty
 * @param opType the operator (field 4), for example {@code MatMul}
 * @param domain the operator set domain (field 7); empty for the default ONNX domain
 * @param inputs the names of the values it reads (field 1), in order; an empty string is an omitted
 *               optional input
 * @param outputs the names of the values it writes (field 2)
 * @param attributes its attributes (field 5) by name
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
        Map<String, OnnxAttribute> attributes) {

    /**
     * @param attributeName an attribute name
     * @return the attribute, if the node has it
     */
    public Optional<OnnxAttribute> attribute(String attributeName) {
        return Optional.ofNullable(attributes.get(attributeName));
    }

    /** @return a description for messages: the name and the operator */
    public String describe() {
        return (name.isEmpty() ? "(unnamed)" : "'" + name + "'") + " (" + opType + ")";
    }
}
