package org.latentlens.io.onnx;

import java.util.List;

/**
 * One {@code AttributeProto} of a node: the scalar, list and tensor kinds. Sub-graphs ({@code g},
 * {@code graphs}: control flow) and type protos are skipped by the reader; a BERT export has none.
 *
 * @param name the attribute's name (field 1)
 * @param type {@code AttributeProto.type} (field 20): 1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 6 FLOATS,
 *             7 INTS, 8 STRINGS, ...; 0 when the file left it out
 * @param f the float value (field 2)
 * @param i the integer value (field 3)
 * @param s the string value (field 4), UTF-8 decoded; {@code null} when absent
 * @param t the tensor value (field 5); {@code null} when absent
 * @param floats the float list (field 7)
 * @param ints the integer list (field 8)
 * @param strings the string list (field 9)
 */
public record OnnxAttribute(String name, int type, float f, long i, String s, OnnxTensor t, float[] floats,
        long[] ints, List<String> strings) {

    /** {@code AttributeProto.AttributeType.FLOAT}. */
    public static final int FLOAT = 1;
    /** {@code AttributeProto.AttributeType.INT}. */
    public static final int INT = 2;
    /** {@code AttributeProto.AttributeType.STRING}. */
    public static final int STRING = 3;
    /** {@code AttributeProto.AttributeType.TENSOR}. */
    public static final int TENSOR = 4;
    /** {@code AttributeProto.AttributeType.FLOATS}. */
    public static final int FLOATS = 6;
    /** {@code AttributeProto.AttributeType.INTS}. */
    public static final int INTS = 7;

    @Override
    public String toString() {
        return "OnnxAttribute[" + name + " type " + type + "]";
    }
}
