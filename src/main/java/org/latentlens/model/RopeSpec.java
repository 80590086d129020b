package org.latentlens.model;

import java.util.Map;
import org.latentlens.io.ConfigException;

/**
 * Rotary position embedding of one layer: the inverse frequencies, computed exactly as HuggingFace
 * computes them in float32, for the supported {@code rope_type}s.
 *
 * @param type the rope type ({@code default}, {@code linear}, {@code llama3})
 * @param invFreq inverse frequencies, rotaryDim/2 of them
 * @param attentionScaling the factor HuggingFace multiplies cos and sin by (1 for these types)
 * @param mropeSection Qwen2-VL's multimodal rope: how many frequency pairs take the temporal, height and
 *     width position (summing to rotaryDim/2), or null for ordinary 1-D positions
 */
public record RopeSpec(String type, float[] invFreq, float attentionScaling, int[] mropeSection) {

    /** Rope types this runtime implements. */
    public static final java.util.List<String> SUPPORTED = java.util.List.of("default", "linear", "llama3");

    /**
     * @param params normalised rope parameters ({@code HfConfig.ropeParameters})
     * @param rotaryDim the number of rotated dimensions per head (head_dim times partial_rotary_factor)
     * @param source config file, for messages
     * @return the spec
     */
    public static RopeSpec fromParameters(Map<String, Object> params, int rotaryDim, String source) {
        String type = String.valueOf(params.getOrDefault("rope_type", "default"));
        double theta = number(params, "rope_theta", source);
        float[] inv = defaultInvFreq(theta, rotaryDim);
        switch (type) {
            case "default", "mrope" -> {
                // "mrope" (old Qwen2-VL configs' rope_scaling.type) has default frequencies; its axis split is mrope_section
            }
            case "linear" -> {
                float factor = (float) number(params, "factor", source);
                for (int i = 0; i < inv.length; i++) {
                    inv[i] = inv[i] / factor;
                }
            }
            case "llama3" -> llama3(inv, params, source);
            default -> throw new ConfigException(source + ": unsupported rope_type \"" + type + "\"; supported: " + SUPPORTED);
        }
        return new RopeSpec(type, inv, 1f, null);
    }

    /**
     * @param section frequency pairs per axis (temporal, height, width), summing to {@code invFreq.length}
     * @param source config file, for messages
     * @return a copy that reads 3-D (mRoPE) positions
     * @throws ConfigException when the section does not cover the rotary frequencies
     */
    public RopeSpec withMropeSection(int[] section, String source) {
        int sum = 0;
        for (int v : section) {
            sum += v;
        }
        if (section.length != 3 || sum != invFreq.length) {
            throw new ConfigException(source + ": \"mrope_section\" " + java.util.Arrays.toString(section)
                    + " must have 3 entries summing to head_dim/2 = " + invFreq.length);
        }
        return new RopeSpec(type, invFreq, attentionScaling, section.clone());
    }

    private static double number(Map<String, Object> p, String key, String source) {
        Object v = p.get(key);
        if (!(v instanceof Number n)) {
            throw new ConfigException(source + ": rope parameters need a numeric \"" + key + "\", got " + p);
        }
        return n.doubleValue();
    }

    /**
     * {@code 1 / base^(arange(0, dim, 2) / dim)}, each step in float32 as torch does it.
     *
     * @param base rope theta
     * @param dim rotated dimensions
     * @return dim/2 inverse frequencies
     */
    public static float[] defaultInvFreq(double base, int dim) {
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / (float) dim;
            float pow = (float) Math.pow((float) base, exponent);
            inv[i] = 1.0f / pow;
        }
        return inv;
    }

    /** Llama 3.1's frequency-dependent scaling (low frequencies divided by factor, a smooth band between). */
    private static void llama3(float[] inv, Map<String, Object> p, String source) {
        float factor = (float) number(p, "factor", source);
        float low = (float) number(p, "low_freq_factor", source);
        float high = (float) number(p, "high_freq_factor", source);
        float oldCtx = (float) number(p, "original_max_position_embeddings", source);
        float lowWavelen = oldCtx / low;
        float highWavelen = oldCtx / high;
        for (int i = 0; i < inv.length; i++) {
            float f = inv[i];
            float wavelen = (float) (2 * Math.PI) / f;
            float scaled = wavelen > lowWavelen ? f / factor : f;
            boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
            if (medium) {
                float smooth = (oldCtx / wavelen - low) / (high - low);
                scaled = (1 - smooth) * scaled / factor + smooth * scaled;
            }
            inv[i] = scaled;
        }
    }
}
