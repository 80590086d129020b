package org.latentlens.io.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.latentlens.io.TensorFormatException;

/**
 * The main {@code GraphProto} of an ONNX model: its nodes in file order, its initializers (the weights)
 * by name, and the names of its inputs and outputs. Lookups by value name are indexed once.
 */
public final class OnnxGraph {
    private final String name;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();

    /**
     * @param name the graph's name (field 2)
     * @param nodes its nodes (field 1), in file order
     * @param initializers its initializers (field 5), in file order
     * @param inputs the names of its inputs (field 11), initializers listed there included
     * @param outputs the names of its outputs (field 12)
     */
    public OnnxGraph(String name, List<OnnxNode> nodes, List<OnnxTensor> initializers, List<String> inputs,
            List<String> outputs) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
        Map<String, OnnxTensor> byName = new LinkedHashMap<>();
        for (OnnxTensor t : initializers) {
            byName.put(t.name(), t);
        }
        this.initializers = Collections.unmodifiableMap(byName);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        for (OnnxNode n : this.nodes) {
            for (String out : n.outputs()) {
                producers.put(out, n);
            }
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
    }

    /** @return the graph's name */
    public String name() {
        return name;
    }

    /** @return every node, in file order */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** @return the initializers by name, in file order */
    public Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    /** @return the names of the graph's inputs */
    public List<String> inputs() {
        return inputs;
    }

    /** @return the names of the graph's outputs */
    public List<String> outputs() {
        return outputs;
    }

    /**
     * @param valueName a value name
     * @return the node that writes it, if any (initializers and graph inputs have none)
     */
    public Optional<OnnxNode> producer(String valueName) {
        return Optional.ofNullable(producers.get(valueName));
    }

    /**
     * @param valueName a value name
     * @return the nodes that read it, in file order (empty if none)
     */
    public List<OnnxNode> consumers(String valueName) {
        return consumers.getOrDefault(valueName, List.of());
    }

    /**
     * Finds the value of a name when it is fixed in the file: an initializer, or the output of a
     * {@code Constant} node ({@code value}, {@code value_float}, {@code value_floats}, {@code value_int},
     * {@code value_ints}).
     *
     * @param valueName a value name
     * @return its tensor, or empty when the value is computed at run time
     */
    public Optional<OnnxTensor> constant(String valueName) {
        OnnxTensor init = initializers.get(valueName);
        if (init != null) {
            return Optional.of(init);
        }
        OnnxNode node = producers.get(valueName);
        if (node == null || !node.opType().equals("Constant") || !node.domain().isEmpty()) {
            return Optional.empty();
        }
        for (OnnxAttribute a : node.attributes().values()) {
            switch (a.name()) {
                case "value":
                    if (a.t() != null) {
                        return Optional.of(a.t());
                    }
                    break;
                case "value_float":
                    return Optional.of(OnnxTensors.ofFloats(valueName, new long[0], new float[] {a.f()}));
                case "value_floats":
                    return Optional.of(OnnxTensors.ofFloats(valueName, new long[] {a.floats().length}, a.floats()));
                case "value_int":
                    return Optional.of(OnnxTensors.ofLongs(valueName, new long[0], new long[] {a.i()}));
                case "value_ints":
                    return Optional.of(OnnxTensors.ofLongs(valueName, new long[] {a.ints().length}, a.ints()));
                default:
                    break;
            }
        }
        throw new TensorFormatException("Constant node " + node.describe() + " producing '" + valueName
                + "' has none of the attributes value, value_float(s), value_int(s)");
    }
}
