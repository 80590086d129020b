package org.latentlens.io.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.latentlens.io.DType;
import org.latentlens.io.TensorFormatException;

/**
 * One {@code TensorProto} of an ONNX file: an initializer, or the value of a {@code Constant} node.
 *
 * <p>The data is kept in the layout ONNX's {@code raw_data} uses: elements packed little-endian, row-major.
 * When the file stored it in {@code raw_data} or packed {@code float_data}, {@link #data()} is a view of the
 * memory-mapped file and nothing was copied; the typed fields ({@code int32_data}, {@code int64_data},
 * {@code double_data}, unpacked {@code float_data}) are repacked into that layout by the reader.
 *
 * @param name the tensor's name ({@code TensorProto.name}, field 8); for a Constant node's value, the
 *             name of the value the node produces
 * @param dataTypeCode {@code TensorProto.data_type} (field 2), possibly a code without an
 *                     {@link OnnxDataType} constant
 * @param dims the shape ({@code TensorProto.dims}, field 1), outermost first; empty for a scalar
 * @param rawData the packed little-endian elements (position 0), or {@code null} for types whose data this
 *                reader does not keep (strings)
 * @param source the file, for messages
 */
public record OnnxTensor(String name, int dataTypeCode, long[] dims, ByteBuffer rawData, String source) {

    /** @return the number of elements, the product of {@link #dims()} (1 for a scalar) */
    public long numElements() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /**
     * @return the ONNX element type
     * @throws TensorFormatException naming the tensor when the code is UNDEFINED or unknown to this reader
     */
    public OnnxDataType type() {
        return OnnxDataType.fromCode(dataTypeCode).orElseThrow(() -> new TensorFormatException(
                "ONNX tensor '" + name + "' in " + source + " has data_type " + OnnxDataType.describe(dataTypeCode)
                        + ", which this reader does not support"));
    }

    /**
     * @return the project's element type
     * @throws TensorFormatException naming the tensor and its ONNX type when there is none (strings,
     *                               complex, unsigned 16/32/64-bit, 4-bit, most float8 kinds)
     */
    public DType dtype() {
        OnnxDataType t = type();
        return t.dtype().orElseThrow(() -> new TensorFormatException("ONNX tensor '" + name + "' in " + source
                + " has data_type " + OnnxDataType.describe(dataTypeCode)
                + ", which LatentLens cannot read; supported: FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT64, INT32,"
                + " INT16, INT8, UINT8, BOOL, FLOAT8E4M3FN"));
    }

    /**
     * @return a fresh little-endian view of the packed elements, position 0 (a view: nothing is copied)
     * @throws TensorFormatException naming the tensor when its data is not held (strings)
     */
    public ByteBuffer data() {
        if (rawData == null) {
            throw new TensorFormatException("ONNX tensor '" + name + "' in " + source + " of type "
                    + OnnxDataType.describe(dataTypeCode) + " holds no numeric data");
        }
        return rawData.duplicate().position(0).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Widens the elements of a floating-point tensor to float32.
     *
     * @return a little-endian direct buffer of {@link #numElements()} floats, position 0; for FLOAT data that
     *         lies 4-byte aligned in the mapped file this is a view of the file, otherwise a new buffer
     * @throws TensorFormatException naming the tensor when it is not FLOAT, FLOAT16, BFLOAT16 or DOUBLE
     */
    public ByteBuffer toFloat32() {
        DType t = dtype();
        ByteBuffer src = data();
        int n = Math.toIntExact(numElements());
        if (t == DType.F32 && src.isDirect() && isFourByteAligned(src)) {
            return src.slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        switch (t) {
            case F32 -> out.put(0, src, 0, n * 4); // bulk copy into an aligned buffer
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out.putFloat(i * 4, org.latentlens.io.FloatConversions.halfToFloat(src.getShort(i * 2)));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out.putFloat(i * 4, Float.intBitsToFloat((src.getShort(i * 2) & 0xffff) << 16));
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out.putFloat(i * 4, (float) src.getDouble(i * 8));
                }
            }
            default -> throw new TensorFormatException("ONNX tensor '" + name + "' in " + source + " has type "
                    + OnnxDataType.describe(dataTypeCode) + " but a floating-point tensor was expected");
        }
        return out;
    }

    /**
     * @return the elements as floats (convenience for small constants)
     * @throws TensorFormatException as {@link #toFloat32()}
     */
    public float[] toFloatArray() {
        ByteBuffer b = toFloat32();
        float[] out = new float[Math.toIntExact(numElements())];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat(i * 4);
        }
        return out;
    }

    /**
     * @return the elements of an integer tensor as longs (shape constants, axes, indices)
     * @throws TensorFormatException naming the tensor when it is not INT64, INT32, INT16, INT8 or UINT8
     */
    public long[] toLongArray() {
        DType t = dtype();
        ByteBuffer src = data();
        long[] out = new long[Math.toIntExact(numElements())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (t) {
                case I64 -> src.getLong(i * 8);
                case I32 -> src.getInt(i * 4);
                case I16 -> src.getShort(i * 2);
                case I8 -> src.get(i);
                case U8 -> src.get(i) & 0xff;
                default -> throw new TensorFormatException("ONNX tensor '" + name + "' in " + source + " has type "
                        + OnnxDataType.describe(dataTypeCode) + " but an integer tensor was expected");
            };
        }
        return out;
    }

    private static boolean isFourByteAligned(ByteBuffer direct) {
        // The mapped file starts on a page boundary, so a view's alignment is its offset in the file. We hand
        // out only aligned views: libtorch's vectorised kernels may assume naturally aligned floats.
        return direct.alignmentOffset(0, 4) == 0;
    }

    @Override
    public String toString() {
        return "OnnxTensor[" + name + " " + OnnxDataType.describe(dataTypeCode) + Arrays.toString(dims) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnnxTensor t && t.name.equals(name) && t.dataTypeCode == dataTypeCode
                && Arrays.equals(t.dims, dims) && t.source.equals(source);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }
}
