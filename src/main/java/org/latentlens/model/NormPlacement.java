package org.latentlens.model;

/** Where a block's norms sit relative to its attention and MLP sub-layers and the residual stream. */
public enum NormPlacement {
    /** Pre-norm: {@code x += attn(n1(x)); x += mlp(n2(x))} (Llama, Qwen, Mistral, Phi-3, GPT-2, OLMo). */
    PRE,
    /** Sandwich: {@code x += n2(attn(n1(x))); x += n4(mlp(n3(x)))} (Gemma 2 and 3). */
    SANDWICH,
    /** Norm on each sub-layer's output only: {@code x += n2(attn(x)); x += n4(mlp(x))} (OLMo 2). */
    POST_SUBLAYER,
    /** Post-norm on the residual sum: {@code x = n2(x + attn(x)); x = n4(x + mlp(x))} (BERT). */
    POST_RESIDUAL
}
