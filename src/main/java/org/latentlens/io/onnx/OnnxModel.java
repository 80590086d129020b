package org.latentlens.io.onnx;

import java.util.Map;

/**
 * A parsed ONNX {@code ModelProto}: its header fields and its main graph.
 *
 * <p>Initializer data stays in the memory-mapped file (see {@link OnnxTensor}); the mapping is released when
 * the last buffer taken from it is garbage-collected.
 *
 * @param source the file it was read from, for messages
 * @param irVersion {@code ir_version} (field 1)
 * @param producerName {@code producer_name} (field 2), for example {@code "pytorch"}
 * @param producerVersion {@code producer_version} (field 3)
 * @param opsets {@code opset_import} (field 8): operator set version by domain ({@code ""} is ONNX's own)
 * @param graph {@code graph} (field 7)
 */
public record OnnxModel(String source, long irVersion, String producerName, String producerVersion,
        Map<String, Long> opsets, OnnxGraph graph) {
}
