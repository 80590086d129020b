package org.latentlens.io.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX ModelProto files field by field for tests (field numbers as in onnx.proto), so the reader
 * and importer can be fed exactly the oddities they must handle.
 */
final class TinyOnnx {
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();

    /** Adds an initializer of FLOAT data in raw_data. */
    TinyOnnx floats(String name, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return raw(name, 1, dims, b.array());
    }

    /** Adds an initializer with the given data_type and raw_data bytes. */
    TinyOnnx raw(String name, int dataType, long[] dims, byte[] raw) {
        initializers.add(tensor(name, dataType, dims, o -> o.writeByteArray(9, raw)));
        return this;
    }

    /** Adds an initializer whose fields are written by {@code body} after name, dims and data_type. */
    TinyOnnx initializer(String name, int dataType, long[] dims, MiniLmReference.Body body) {
        initializers.add(tensor(name, dataType, dims, body));
        return this;
    }

    /** Adds a node. */
    TinyOnnx node(String name, String op, List<String> inputs, List<String> outputs, byte[]... attributes) {
        nodes.add(message(o -> {
            for (String in : inputs) {
                o.writeString(1, in); // NodeProto.input
            }
            for (String out : outputs) {
                o.writeString(2, out); // NodeProto.output
            }
            o.writeString(3, name); // NodeProto.name
            o.writeString(4, op); // NodeProto.op_type
            for (byte[] a : attributes) {
                o.writeByteArray(5, a); // NodeProto.attribute
            }
        }));
        return this;
    }

    /** Adds a Constant node producing an INT64 tensor. */
    TinyOnnx constantInts(String nodeName, String output, long... values) {
        byte[] t = tensor("", 7, new long[] {values.length}, o -> {
            for (long v : values) {
                o.writeInt64(7, v); // TensorProto.int64_data, unpacked on purpose
            }
        });
        return node(nodeName, "Constant", List.of(), List.of(output), attribute("value", 4, o -> o.writeByteArray(5, t)));
    }

    /** Adds a Constant node producing a FLOAT scalar via value_float. */
    TinyOnnx constantFloat(String nodeName, String output, float value) {
        return node(nodeName, "Constant", List.of(), List.of(output),
                attribute("value_float", 1, o -> o.writeFloat(2, value)));
    }

    /** Names a graph output. */
    TinyOnnx output(String name) {
        outputs.add(name);
        return this;
    }

    /** @return the serialized ModelProto */
    byte[] bytes() {
        byte[] graph = message(o -> {
            for (byte[] n : nodes) {
                o.writeByteArray(1, n); // GraphProto.node
            }
            o.writeString(2, "tiny"); // GraphProto.name
            for (byte[] t : initializers) {
                o.writeByteArray(5, t); // GraphProto.initializer
            }
            for (String out : outputs) {
                o.writeByteArray(12, message(v -> v.writeString(1, out))); // GraphProto.output { name }
            }
        });
        return message(o -> {
            o.writeInt64(1, 8); // ModelProto.ir_version
            o.writeString(2, "tiny-test"); // ModelProto.producer_name
            o.writeByteArray(8, message(s -> s.writeInt64(2, 17))); // opset_import { version: 17 }
            o.writeByteArray(7, graph); // ModelProto.graph
        });
    }

    /** @return {@link #bytes()} parsed */
    OnnxModel read() {
        return OnnxReader.read(ByteBuffer.wrap(bytes()), "tiny.onnx");
    }

    static byte[] attribute(String name, int type, MiniLmReference.Body body) {
        return message(o -> {
            o.writeString(1, name); // AttributeProto.name
            body.write(o);
            o.writeInt32(20, type); // AttributeProto.type
        });
    }

    static byte[] tensor(String name, int dataType, long[] dims, MiniLmReference.Body body) {
        return message(o -> {
            // dims packed, as onnx's own serializer writes them
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            CodedOutputStream p = CodedOutputStream.newInstance(packed);
            for (long d : dims) {
                p.writeInt64NoTag(d);
            }
            p.flush();
            if (dims.length > 0) {
                o.writeByteArray(1, packed.toByteArray()); // TensorProto.dims
            }
            o.writeInt32(2, dataType); // TensorProto.data_type
            if (!name.isEmpty()) {
                o.writeByteArray(8, name.getBytes(StandardCharsets.UTF_8)); // TensorProto.name
            }
            body.write(o);
        });
    }

    static byte[] message(MiniLmReference.Body body) {
        try {
            return MiniLmReference.message(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
