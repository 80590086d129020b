package org.latentlens.io.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small in-memory {@link OnnxTensor}s, for constants given as node attributes and for tests. */
final class OnnxTensors {
    private OnnxTensors() {
    }

    static OnnxTensor ofFloats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            b.putFloat(i * 4, values[i]);
        }
        return new OnnxTensor(name, OnnxDataType.FLOAT.code(), dims, b, "a node attribute");
    }

    static OnnxTensor ofLongs(String name, long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            b.putLong(i * 8, values[i]);
        }
        return new OnnxTensor(name, OnnxDataType.INT64.code(), dims, b, "a node attribute");
    }
}
