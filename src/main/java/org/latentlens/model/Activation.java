package org.latentlens.model;

import java.util.Arrays;
import java.util.Locale;

/** MLP activations, by the names HuggingFace configs use. */
public enum Activation {
    /** SiLU / swish. */
    SILU("silu", "swish"),
    /** Exact GELU with erf. */
    GELU("gelu"),
    /** GELU, tanh approximation. */
    GELU_TANH("gelu_pytorch_tanh", "gelu_new", "gelu_fast", "gelu_tanh"),
    /** ReLU. */
    RELU("relu"),
    /** {@code x * sigmoid(1.702 x)}, CLIP's quick GELU. */
    QUICK_GELU("quick_gelu");

    private final String[] names;

    Activation(String... names) {
        this.names = names;
    }

    /**
     * Applies the activation elementwise, in the input's precision, with HuggingFace's formulas.
     *
     * @param x input
     * @return act(x)
     */
    public ai.djl.ndarray.NDArray apply(ai.djl.ndarray.NDArray x) {
        return switch (this) {
            case SILU -> x.mul(x.getNDArrayInternal().sigmoid());
            case GELU -> x.getNDArrayInternal().gelu(); // torch's exact (erf) GELU, one fused kernel
            case GELU_TANH -> {
                ai.djl.ndarray.NDArray inner = x.add(x.pow(3f).mul(0.044715f)).mul((float) Math.sqrt(2.0 / Math.PI));
                yield x.mul(0.5f).mul(inner.tanh().add(1f));
            }
            case RELU -> ai.djl.nn.Activation.relu(x);
            case QUICK_GELU -> x.mul(x.mul(1.702f).getNDArrayInternal().sigmoid());
        };
    }

    /**
     * @param name a config's {@code hidden_act} / {@code hidden_activation} / {@code activation_function}
     * @param source where it was read, for the message
     * @return the activation
     * @throws org.latentlens.io.ConfigException listing the supported names
     */
    public static Activation fromConfig(String name, String source) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Activation a : values()) {
            for (String s : a.names) {
                if (s.equals(n)) {
                    return a;
                }
            }
        }
        throw new org.latentlens.io.ConfigException(source + ": unsupported activation \"" + name + "\"; supported: "
                + Arrays.stream(values()).flatMap(a -> Arrays.stream(a.names)).toList());
    }
}
