package org.latentlens.io.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentlens.io.DType;
import org.latentlens.io.TensorFormatException;

/**
 * Reads an ONNX model file by walking the protobuf wire format with {@link CodedInputStream}: no classes
 * generated from {@code onnx.proto}. Field numbers are cited from onnx.proto (ONNX 1.x; they have never been
 * renumbered) beside each read. Only what LatentLens needs is kept: the header, the initializers, the nodes
 * with their scalar, list and tensor attributes, and the graph's input and output names. Everything else is
 * skipped field by field.
 *
 * <p>The file is memory-mapped once and initializer data ({@code raw_data}, packed {@code float_data}) is
 * handed out as views of the mapping, so a 90 MB model is read without copying its weights. A protobuf
 * message cannot exceed 2 GiB, so larger models keep their weights in external files; those are rejected
 * with a message naming the initializer.
 *
 * <pre>{@code
 * OnnxModel model = OnnxReader.read(Path.of("model.onnx"));
 * OnnxTensor w = model.graph().initializers().get("embeddings.word_embeddings.weight");
 * ByteBuffer floats = w.toFloat32();
 * }</pre>
 */
public final class OnnxReader {
    private final ByteBuffer file;
    private final String source;
    /** What is being read, for the message when the protobuf turns out to be truncated or corrupt. */
    private String context = "ModelProto";

    private OnnxReader(ByteBuffer file, String source) {
        this.file = file;
        this.source = source;
    }

    /**
     * Reads an ONNX file.
     *
     * @param path the .onnx file
     * @return the parsed model, its initializer data mapped from the file
     * @throws TensorFormatException naming the file (and the initializer or node being read) when it is
     *                               missing, truncated, not an ONNX model, over 2 GiB, or stores data
     *                               externally
     */
    public static OnnxModel read(Path path) {
        ByteBuffer mapped;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new TensorFormatException("ONNX file " + path + " is " + size + " bytes; a self-contained"
                        + " ONNX model is at most 2 GiB (larger ones keep weights in external data files, which"
                        + " LatentLens does not read)");
            }
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (NoSuchFileException e) {
            throw new TensorFormatException("ONNX file " + path + " does not exist", e);
        } catch (IOException e) {
            throw new TensorFormatException("cannot read ONNX file " + path + ": " + e.getMessage(), e);
        }
        return read(mapped, path.toString());
    }

    /**
     * Reads an ONNX model held in memory.
     *
     * @param bytes the serialized {@code ModelProto}, from position 0 to the limit
     * @param source a description of where the bytes came from, for messages
     * @return the parsed model; initializer data are views of {@code bytes}
     * @throws TensorFormatException naming the source when the bytes are not a valid ONNX model
     */
    public static OnnxModel read(ByteBuffer bytes, String source) {
        ByteBuffer whole = bytes.duplicate().position(0).slice().order(ByteOrder.LITTLE_ENDIAN);
        return new OnnxReader(whole, source).readModel();
    }

    private OnnxModel readModel() {
        if (file.limit() == 0) {
            throw new TensorFormatException("ONNX file " + source + " is empty");
        }
        CodedInputStream in = CodedInputStream.newInstance(file);
        in.setSizeLimit(Integer.MAX_VALUE);
        try {
            long irVersion = 0;
            String producer = "";
            String producerVersion = "";
            Map<String, Long> opsets = new LinkedHashMap<>();
            OnnxGraph graph = null;
            int tag;
            while ((tag = in.readTag()) != 0) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> irVersion = readVarint(in, tag, "ModelProto.ir_version"); // int64 ir_version = 1
                    case 2 -> producer = readString(in, tag, "ModelProto.producer_name"); // string producer_name = 2
                    case 3 -> producerVersion = readString(in, tag, "ModelProto.producer_version"); // = 3
                    case 7 -> { // GraphProto graph = 7
                        if (graph != null) {
                            // Protobuf would merge a second occurrence into the first; exporters never write
                            // one, and merging repeated fields by hand is not worth the risk of a wrong read.
                            throw new TensorFormatException("ONNX file " + source + " has two ModelProto.graph"
                                    + " fields; LatentLens reads files with exactly one");
                        }
                        int old = enter(in, tag, "ModelProto.graph");
                        graph = readGraph(in);
                        in.popLimit(old);
                    }
                    case 8 -> { // repeated OperatorSetIdProto opset_import = 8
                        int old = enter(in, tag, "ModelProto.opset_import");
                        readOpset(in, opsets);
                        in.popLimit(old);
                    }
                    default -> in.skipField(tag);
                }
            }
            if (graph == null) {
                throw new TensorFormatException("ONNX file " + source + " has no graph (ModelProto field 7):"
                        + " it is not an ONNX model, or it is truncated");
            }
            return new OnnxModel(source, irVersion, producer, producerVersion, opsets, graph);
        } catch (InvalidProtocolBufferException e) {
            throw new TensorFormatException("ONNX file " + source + " is truncated or corrupt (while reading "
                    + context + "): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TensorFormatException("cannot read ONNX file " + source + " (while reading " + context
                    + "): " + e.getMessage(), e);
        }
    }

    private void readOpset(CodedInputStream in, Map<String, Long> opsets) throws IOException {
        String domain = "";
        long version = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> domain = readString(in, tag, "OperatorSetIdProto.domain"); // string domain = 1
                case 2 -> version = readVarint(in, tag, "OperatorSetIdProto.version"); // int64 version = 2
                default -> in.skipField(tag);
            }
        }
        opsets.put(domain, version);
    }

    private OnnxGraph readGraph(CodedInputStream in) throws IOException {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxTensor> initializers = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> { // repeated NodeProto node = 1
                    context = "node #" + nodes.size() + " (after " + lastNodeName(nodes) + ")";
                    int old = enter(in, tag, "GraphProto.node");
                    nodes.add(readNode(in));
                    in.popLimit(old);
                }
                case 2 -> name = readString(in, tag, "GraphProto.name"); // string name = 2
                case 5 -> { // repeated TensorProto initializer = 5
                    context = "initializer #" + initializers.size();
                    int old = enter(in, tag, "GraphProto.initializer");
                    OnnxTensor t = readTensor(in, "initializer #" + initializers.size(), "initializer");
                    initializers.add(t);
                    in.popLimit(old);
                }
                case 11 -> inputs.add(readValueInfoName(in, tag, "GraphProto.input")); // repeated ValueInfoProto input = 11
                case 12 -> outputs.add(readValueInfoName(in, tag, "GraphProto.output")); // repeated ValueInfoProto output = 12
                case 15 -> { // repeated SparseTensorProto sparse_initializer = 15
                    throw new TensorFormatException("ONNX file " + source + " has a sparse initializer"
                            + " (GraphProto field 15), which LatentLens does not read; export dense weights");
                }
                default -> in.skipField(tag);
            }
        }
        context = "ModelProto";
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }

    private static String lastNodeName(List<OnnxNode> nodes) {
        return nodes.isEmpty() ? "the start of the graph" : "node " + nodes.get(nodes.size() - 1).describe();
    }

    private String readValueInfoName(CodedInputStream in, int tag, String field) throws IOException {
        int old = enter(in, tag, field);
        String name = "";
        int t;
        while ((t = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(t) == 1) { // ValueInfoProto: string name = 1
                name = readString(in, t, "ValueInfoProto.name");
            } else {
                in.skipField(t);
            }
        }
        in.popLimit(old);
        return name;
    }

    private OnnxNode readNode(CodedInputStream in) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        String domain = "";
        List<OnnxAttribute> attrs = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(readString(in, tag, "NodeProto.input")); // repeated string input = 1
                case 2 -> outputs.add(readString(in, tag, "NodeProto.output")); // repeated string output = 2
                case 3 -> name = readString(in, tag, "NodeProto.name"); // string name = 3
                case 4 -> opType = readString(in, tag, "NodeProto.op_type"); // string op_type = 4
                case 5 -> { // repeated AttributeProto attribute = 5
                    int old = enter(in, tag, "NodeProto.attribute");
                    attrs.add(readAttribute(in, outputs.isEmpty() ? name : outputs.get(0)));
                    in.popLimit(old);
                }
                case 7 -> domain = readString(in, tag, "NodeProto.domain"); // string domain = 7
                default -> in.skipField(tag);
            }
        }
        Map<String, OnnxAttribute> byName = new LinkedHashMap<>();
        for (OnnxAttribute a : attrs) {
            byName.put(a.name(), a);
        }
        // Attributes may precede the outputs in the stream; a Constant's unnamed value tensor takes the name
        // of the value the node produces, so fix those names now that the outputs are known.
        if (!outputs.isEmpty()) {
            for (Map.Entry<String, OnnxAttribute> e : byName.entrySet()) {
                OnnxAttribute a = e.getValue();
                if (a.t() != null && a.t().name().isEmpty()) {
                    OnnxTensor t = a.t();
                    e.setValue(new OnnxAttribute(a.name(), a.type(), a.f(), a.i(), a.s(),
                            new OnnxTensor(outputs.get(0), t.dataTypeCode(), t.dims(), t.rawData(), t.source()),
                            a.floats(), a.ints(), a.strings()));
                }
            }
        }
        return new OnnxNode(name, opType, domain, List.copyOf(inputs), List.copyOf(outputs),
                java.util.Collections.unmodifiableMap(byName));
    }

    private OnnxAttribute readAttribute(CodedInputStream in, String owner) throws IOException {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        String s = null;
        OnnxTensor t = null;
        FloatList floats = new FloatList();
        LongList ints = new LongList();
        List<String> strings = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = readString(in, tag, "AttributeProto.name"); // string name = 1
                case 2 -> { // float f = 2
                    expectWire(tag, WireFormat.WIRETYPE_FIXED32, "AttributeProto.f");
                    f = in.readFloat();
                }
                case 3 -> i = readVarint(in, tag, "AttributeProto.i"); // int64 i = 3
                case 4 -> s = readString(in, tag, "AttributeProto.s"); // bytes s = 4
                case 5 -> { // TensorProto t = 5
                    int old = enter(in, tag, "AttributeProto.t");
                    t = readTensor(in, "", "tensor attribute '" + name + "' of the node producing '" + owner + "'");
                    in.popLimit(old);
                }
                case 7 -> readFloats(in, tag, floats, "AttributeProto.floats"); // repeated float floats = 7
                case 8 -> readVarints(in, tag, ints, "AttributeProto.ints"); // repeated int64 ints = 8
                case 9 -> strings.add(readString(in, tag, "AttributeProto.strings")); // repeated bytes strings = 9
                case 20 -> type = (int) readVarint(in, tag, "AttributeProto.type"); // AttributeType type = 20
                default -> in.skipField(tag); // g = 6, graphs = 11, tensors = 10, sparse tensors, type protos
            }
        }
        return new OnnxAttribute(name, type, f, i, s, t, floats.toArray(), ints.toArray(), List.copyOf(strings));
    }

    /**
     * Reads a {@code TensorProto}. Field numbers: dims = 1, data_type = 2, segment = 3, float_data = 4,
     * int32_data = 5, string_data = 6, int64_data = 7, name = 8, raw_data = 9, double_data = 10,
     * uint64_data = 11, external_data = 13, data_location = 14.
     */
    private OnnxTensor readTensor(CodedInputStream in, String fallbackName, String role) throws IOException {
        LongList dims = new LongList();
        int dataType = 0;
        String name = fallbackName;
        boolean named = false;
        ByteBuffer raw = null;
        ByteBuffer packedFloats = null;
        FloatList floats = new FloatList();
        LongList int32s = new LongList();
        LongList int64s = new LongList();
        ByteBuffer packedDoubles = null;
        List<Double> doubles = new ArrayList<>();
        boolean external = false;
        boolean segment = false;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> readVarints(in, tag, dims, "TensorProto.dims"); // repeated int64 dims = 1
                case 2 -> dataType = (int) readVarint(in, tag, "TensorProto.data_type"); // int32 data_type = 2
                case 3 -> { // Segment segment = 3
                    segment = true;
                    in.skipField(tag);
                }
                case 4 -> { // repeated float float_data = 4 [packed = true]
                    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED && packedFloats == null
                            && floats.size() == 0) {
                        packedFloats = readRegion(in);
                    } else {
                        if (packedFloats != null) { // a second packed run: fall back to collecting values
                            appendFloats(packedFloats, floats);
                            packedFloats = null;
                        }
                        readFloats(in, tag, floats, "TensorProto.float_data");
                    }
                }
                case 5 -> readVarints(in, tag, int32s, "TensorProto.int32_data"); // repeated int32 int32_data = 5
                case 7 -> readVarints(in, tag, int64s, "TensorProto.int64_data"); // repeated int64 int64_data = 7
                case 8 -> { // string name = 8
                    name = readString(in, tag, "TensorProto.name");
                    named = true;
                    context = role.startsWith("initializer") ? "initializer '" + name + "'" : context;
                }
                case 9 -> { // bytes raw_data = 9
                    expectWire(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorProto.raw_data");
                    raw = readRegion(in);
                }
                case 10 -> { // repeated double double_data = 10 [packed = true]
                    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED && packedDoubles == null
                            && doubles.isEmpty()) {
                        packedDoubles = readRegion(in);
                    } else {
                        if (packedDoubles != null) {
                            for (int k = 0; k < packedDoubles.limit() / 8; k++) {
                                doubles.add(packedDoubles.getDouble(k * 8));
                            }
                            packedDoubles = null;
                        }
                        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                            ByteBuffer more = readRegion(in);
                            for (int k = 0; k < more.limit() / 8; k++) {
                                doubles.add(more.getDouble(k * 8));
                            }
                        } else {
                            expectWire(tag, WireFormat.WIRETYPE_FIXED64, "TensorProto.double_data");
                            doubles.add(in.readDouble());
                        }
                    }
                }
                case 13 -> { // repeated StringStringEntryProto external_data = 13
                    external = true;
                    in.skipField(tag);
                }
                case 14 -> { // DataLocation data_location = 14 (DEFAULT = 0, EXTERNAL = 1)
                    external |= readVarint(in, tag, "TensorProto.data_location") == 1;
                }
                default -> in.skipField(tag); // string_data = 6, uint64_data = 11, doc_string = 12, ...
            }
        }
        String what = role.startsWith("initializer") && named ? "initializer '" + name + "'" : role;
        if (external) {
            throw new TensorFormatException("ONNX " + what + " in " + source + " keeps its data in an external file"
                    + " (TensorProto.data_location EXTERNAL); LatentLens reads only self-contained .onnx files:"
                    + " re-export or save the model with all tensors inside it");
        }
        if (segment) {
            throw new TensorFormatException("ONNX " + what + " in " + source + " is a segment of a larger tensor"
                    + " (TensorProto.segment), which LatentLens does not read");
        }
        long[] shape = dims.toArray();
        ByteBuffer data = packData(dataType, raw, packedFloats, floats, int32s, int64s, packedDoubles, doubles);
        OnnxTensor tensor = new OnnxTensor(name, dataType, shape, data, source);
        checkLength(tensor, what);
        return tensor;
    }

    /** Puts whichever data field the file used into raw_data's layout: packed little-endian elements. */
    private static ByteBuffer packData(int dataType, ByteBuffer raw, ByteBuffer packedFloats, FloatList floats,
            LongList int32s, LongList int64s, ByteBuffer packedDoubles, List<Double> doubles) {
        if (raw != null) {
            return raw;
        }
        if (packedFloats != null) {
            return packedFloats; // packed fixed32 floats are little-endian, exactly raw_data's layout
        }
        if (packedDoubles != null) {
            return packedDoubles;
        }
        if (floats.size() > 0) {
            ByteBuffer b = ByteBuffer.allocateDirect(floats.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < floats.size(); k++) {
                b.putFloat(k * 4, floats.get(k));
            }
            return b;
        }
        if (!doubles.isEmpty()) {
            ByteBuffer b = ByteBuffer.allocate(doubles.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < doubles.size(); k++) {
                b.putDouble(k * 8, doubles.get(k));
            }
            return b;
        }
        if (int64s.size() > 0) {
            ByteBuffer b = ByteBuffer.allocate(int64s.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < int64s.size(); k++) {
                b.putLong(k * 8, int64s.get(k));
            }
            return b;
        }
        if (int32s.size() > 0) {
            // int32_data holds INT32, INT16, INT8, UINT8, BOOL, FLOAT16 and BFLOAT16 (the 16 bits in the low
            // half) and FLOAT8 (8 bits): one int32 per element, narrowed to the element's width here.
            var type = OnnxDataType.fromCode(dataType).flatMap(OnnxDataType::dtype);
            if (type.isEmpty()) {
                return null;
            }
            int width = type.get().byteWidth();
            ByteBuffer b = ByteBuffer.allocate(int32s.size() * width).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < int32s.size(); k++) {
                long v = int32s.get(k);
                switch (width) {
                    case 1 -> b.put(k, (byte) v);
                    case 2 -> b.putShort(k * 2, (short) v);
                    case 4 -> b.putInt(k * 4, (int) v);
                    default -> b.putLong(k * 8, v);
                }
            }
            return b;
        }
        if (OnnxDataType.fromCode(dataType).flatMap(OnnxDataType::dtype).isEmpty()) {
            return null; // strings and types we do not hold: reading their data fails later, by name
        }
        return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void checkLength(OnnxTensor t, String what) {
        var type = OnnxDataType.fromCode(t.dataTypeCode()).flatMap(OnnxDataType::dtype);
        if (type.isEmpty() || t.rawData() == null) {
            return; // checked when (if ever) the data is asked for
        }
        for (long d : t.dims()) {
            if (d < 0) {
                throw new TensorFormatException("ONNX " + what + " in " + t.source() + " has a negative dimension: "
                        + java.util.Arrays.toString(t.dims()));
            }
        }
        DType dt = type.get();
        long expected = t.numElements() * dt.byteWidth();
        if (t.rawData().limit() != expected) {
            throw new TensorFormatException("ONNX " + what + " in " + t.source() + " has shape "
                    + java.util.Arrays.toString(t.dims()) + " of " + OnnxDataType.describe(t.dataTypeCode())
                    + ", which needs " + expected + " bytes of data, but it holds " + t.rawData().limit());
        }
    }

    /** Records where a length-delimited field's bytes lie and skips them: a view of the file, not a copy. */
    private ByteBuffer readRegion(CodedInputStream in) throws IOException {
        int len = in.readRawVarint32();
        int start = in.getTotalBytesRead();
        if (len < 0 || (long) start + len > file.limit()) {
            throw new TensorFormatException("ONNX file " + source + " is truncated: a field of " + context
                    + " claims " + len + " bytes at offset " + start + " but the file has " + file.limit());
        }
        in.skipRawBytes(len);
        return file.slice(start, len).order(ByteOrder.LITTLE_ENDIAN);
    }

    private int enter(CodedInputStream in, int tag, String field) throws IOException {
        expectWire(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        int len = in.readRawVarint32();
        return in.pushLimit(len);
    }

    private String readString(CodedInputStream in, int tag, String field) throws IOException {
        expectWire(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        return new String(in.readByteArray(), StandardCharsets.UTF_8);
    }

    private long readVarint(CodedInputStream in, int tag, String field) throws IOException {
        expectWire(tag, WireFormat.WIRETYPE_VARINT, field);
        return in.readInt64();
    }

    /** A repeated varint field, packed (one length-delimited run) or not (one value per tag). */
    private void readVarints(CodedInputStream in, int tag, LongList out, String field) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int old = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                out.add(in.readInt64());
            }
            in.popLimit(old);
        } else {
            out.add(readVarint(in, tag, field));
        }
    }

    /** A repeated float field, packed or not. */
    private void readFloats(CodedInputStream in, int tag, FloatList out, String field) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            appendFloats(readRegion(in), out);
        } else {
            expectWire(tag, WireFormat.WIRETYPE_FIXED32, field);
            out.add(in.readFloat());
        }
    }

    private static void appendFloats(ByteBuffer packed, FloatList out) {
        for (int k = 0; k < packed.limit() / 4; k++) {
            out.add(packed.getFloat(k * 4));
        }
    }

    private void expectWire(int tag, int wireType, String field) {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw new TensorFormatException("ONNX file " + source + " is corrupt or not an ONNX model: field "
                    + field + " (while reading " + context + ") has wire type " + WireFormat.getTagWireType(tag)
                    + " where onnx.proto gives " + wireType);
        }
    }

    /** A growable list of primitive longs. */
    private static final class LongList {
        private long[] values = new long[8];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        long get(int i) {
            return values[i];
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    /** A growable list of primitive floats. */
    private static final class FloatList {
        private float[] values = new float[8];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        float get(int i) {
            return values[i];
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
