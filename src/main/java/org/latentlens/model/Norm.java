package org.latentlens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** One normalisation layer over the last dimension, computed in float32 as HuggingFace computes it. */
final class Norm {
    private final NormKind kind;
    private final NDArray gain;
    private final NDArray bias;
    private final float eps;
    private final int dim;

    /**
     * @param kind norm kind
     * @param weight gain [dim] as stored (for {@link NormKind#RMS_ONE_PLUS} the stored w, not 1+w), or null
     * @param bias bias [dim], or null
     * @param eps epsilon
     * @param dim normalised width
     * @param manager owner of derived parameters
     */
    Norm(NormKind kind, NDArray weight, NDArray bias, double eps, int dim, NDManager manager) {
        this.kind = kind;
        this.eps = (float) eps;
        this.dim = dim;
        switch (kind) {
            case RMS_ONE_PLUS -> {
                this.gain = weight.add(1f); // HF computes (1 + w) in float32 on every call; same value, once
                this.bias = null;
            }
            case LAYER_NORM_NO_PARAMS -> {
                this.gain = manager.ones(new Shape(dim));
                this.bias = manager.zeros(new Shape(dim));
            }
            case LAYER_NORM -> {
                this.gain = weight;
                this.bias = bias != null ? bias : manager.zeros(new Shape(dim));
            }
            default -> {
                this.gain = weight;
                this.bias = null;
            }
        }
    }

    NDArray apply(NDArray x) {
        if (kind == NormKind.LAYER_NORM || kind == NormKind.LAYER_NORM_NO_PARAMS) {
            return x.getNDArrayInternal().layerNorm(x, new Shape(dim), gain, bias, eps).singletonOrThrow();
        }
        NDArray variance = x.mul(x).mean(new int[] {-1}, true);
        return x.mul(variance.add(eps).pow(-0.5f)).mul(gain);
    }
}
