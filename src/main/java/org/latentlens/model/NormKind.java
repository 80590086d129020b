package org.latentlens.model;

/** The normalisation a model family uses. */
public enum NormKind {
    /** RMSNorm: {@code x * rsqrt(mean(x^2) + eps) * w}. */
    RMS,
    /** Gemma's RMSNorm with a zero-centred gain: {@code x * rsqrt(mean(x^2) + eps) * (1 + w)}. */
    RMS_ONE_PLUS,
    /** LayerNorm with weight and bias. */
    LAYER_NORM,
    /** LayerNorm without parameters (OLMo 1). */
    LAYER_NORM_NO_PARAMS
}
