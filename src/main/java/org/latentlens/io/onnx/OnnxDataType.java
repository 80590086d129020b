package org.latentlens.io.onnx;

import java.util.Optional;
import org.latentlens.io.DType;

/**
 * The element types of ONNX's {@code TensorProto.DataType} enum (onnx.proto), with the project's
 * {@link DType} where one exists.
 *
 * <p>Codes the reader does not know, or knows but cannot hold in a {@link DType} (strings, complex numbers,
 * unsigned 16/32/64-bit, 4-bit and the float8 variants other than e4m3fn), are kept as a raw code in
 * {@link OnnxTensor} so that a model carrying one harmless odd constant still reads; asking such a
 * tensor for its element type fails with a message naming it.
 */
public enum OnnxDataType {
    /** FLOAT = 1. */
    FLOAT(1, DType.F32),
    /** UINT8 = 2. */
    UINT8(2, DType.U8),
    /** INT8 = 3. */
    INT8(3, DType.I8),
    /** UINT16 = 4 (no DType). */
    UINT16(4, null),
    /** INT16 = 5. */
    INT16(5, DType.I16),
    /** INT32 = 6. */
    INT32(6, DType.I32),
    /** INT64 = 7. */
    INT64(7, DType.I64),
    /** STRING = 8 (no DType). */
    STRING(8, null),
    /** BOOL = 9. */
    BOOL(9, DType.BOOL),
    /** FLOAT16 = 10. */
    FLOAT16(10, DType.F16),
    /** DOUBLE = 11. */
    DOUBLE(11, DType.F64),
    /** UINT32 = 12 (no DType). */
    UINT32(12, null),
    /** UINT64 = 13 (no DType). */
    UINT64(13, null),
    /** COMPLEX64 = 14 (no DType). */
    COMPLEX64(14, null),
    /** COMPLEX128 = 15 (no DType). */
    COMPLEX128(15, null),
    /** BFLOAT16 = 16. */
    BFLOAT16(16, DType.BF16),
    /** FLOAT8E4M3FN = 17. */
    FLOAT8E4M3FN(17, DType.F8_E4M3),
    /** FLOAT8E4M3FNUZ = 18 (no DType). */
    FLOAT8E4M3FNUZ(18, null),
    /** FLOAT8E5M2 = 19 (no DType). */
    FLOAT8E5M2(19, null),
    /** FLOAT8E5M2FNUZ = 20 (no DType). */
    FLOAT8E5M2FNUZ(20, null),
    /** UINT4 = 21 (no DType). */
    UINT4(21, null),
    /** INT4 = 22 (no DType). */
    INT4(22, null),
    /** FLOAT4E2M1 = 23 (no DType). */
    FLOAT4E2M1(23, null);

    private final int code;
    private final DType dtype;

    OnnxDataType(int code, DType dtype) {
        this.code = code;
        this.dtype = dtype;
    }

    /** @return the numeric value of this type in {@code TensorProto.data_type} */
    public int code() {
        return code;
    }

    /** @return the project's element type for this ONNX type, if it has one */
    public Optional<DType> dtype() {
        return Optional.ofNullable(dtype);
    }

    /**
     * @param code a {@code TensorProto.data_type} value
     * @return the matching type, or empty for UNDEFINED (0) and codes newer than this reader
     */
    public static Optional<OnnxDataType> fromCode(int code) {
        for (OnnxDataType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * @param code a {@code TensorProto.data_type} value
     * @return a readable name for messages, for example {@code "STRING (8)"} or {@code "unknown (99)"}
     */
    public static String describe(int code) {
        return fromCode(code).map(t -> t.name() + " (" + code + ")").orElse(
                code == 0 ? "UNDEFINED (0)" : "unknown (" + code + ")");
    }
}
