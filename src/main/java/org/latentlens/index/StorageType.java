package org.latentlens.index;

import java.util.Locale;

/** The element type of stored index rows. */
public enum StorageType {
    /** IEEE binary32: exact, 4 bytes per value. */
    FLOAT32("float32", 4, 0),
    /** IEEE binary16: half the size; cosine values move by about 1e-3 at most. The default. */
    FLOAT16("float16", 2, 1);

    private final String label;
    private final int bytes;
    private final int code;

    StorageType(String label, int bytes, int code) {
        this.label = label;
        this.bytes = bytes;
        this.code = code;
    }

    /** @return the name used in {@code index.json} and on the command line: {@code float16} or {@code float32} */
    public String label() {
        return label;
    }

    /** @return bytes per value */
    public int bytes() {
        return bytes;
    }

    /** @return the code stored in a vectors file header */
    int code() {
        return code;
    }

    /**
     * @param code a vectors file header's dtype code
     * @return the type, or {@code null} when unknown
     */
    static StorageType ofCode(int code) {
        for (StorageType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /**
     * @param label {@code float16}/{@code f16}/{@code half} or {@code float32}/{@code f32}/{@code float}
     * @return the type
     * @throws IllegalArgumentException naming the accepted spellings
     */
    public static StorageType parse(String label) {
        switch (label.toLowerCase(Locale.ROOT)) {
            case "float16", "f16", "fp16", "half":
                return FLOAT16;
            case "float32", "f32", "fp32", "float":
                return FLOAT32;
            default:
                throw new IllegalArgumentException("unknown storage dtype '" + label + "': use float16 or float32");
        }
    }
}
