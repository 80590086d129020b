package org.latentlens.model;

/**
 * Where a family keeps each weight, as HuggingFace names it. Per-layer names contain {@code {i}} for
 * the block index. A {@code null} name means the family has no such weight.
 *
 * @param embed token embedding [V, D]
 * @param positionEmbed learned absolute positions [P, D] (GPT-2, BERT)
 * @param tokenTypeEmbed segment embedding [types, D] (BERT)
 * @param embedNormPrefix LayerNorm applied to the embedding sum, prefix of {@code .weight}/{@code .bias} (BERT)
 * @param q query projection, or null when fused
 * @param k key projection
 * @param v value projection
 * @param qkv fused q|k|v projection (Phi-3, GPT-2)
 * @param o attention output projection
 * @param gate gated-MLP gate projection
 * @param up MLP up projection (gated or plain)
 * @param gateUp fused gate|up projection (Phi-3)
 * @param down MLP down projection
 * @param attnInNorm norm before attention (pre-norm families)
 * @param attnOutNorm norm after attention (sandwich/post families)
 * @param mlpInNorm norm before the MLP
 * @param mlpOutNorm norm after the MLP
 * @param qNorm query norm
 * @param kNorm key norm
 * @param finalNorm final norm prefix, applied to the last block's output
 * @param lmHead LM head [V, D], absent when tied
 * @param pooler pooler dense prefix (BERT)
 */
public record WeightNames(String embed, String positionEmbed, String tokenTypeEmbed, String embedNormPrefix,
                          String q, String k, String v, String qkv, String o,
                          String gate, String up, String gateUp, String down,
                          String attnInNorm, String attnOutNorm, String mlpInNorm, String mlpOutNorm,
                          String qNorm, String kNorm, String finalNorm, String lmHead, String pooler) {

    /** Marks a norm that is present but has no weights (OLMo's parameter-free LayerNorm). */
    public static final String PARAMETER_FREE = "(parameter-free)";

    /**
     * Names of the Llama layout ({@code model.layers.{i}.self_attn.q_proj}, ...), without {@code .weight}
     * suffixes: the shared starting point of most decoder families.
     *
     * @return the names
     */
    public static WeightNames llamaLayout() {
        String l = "model.layers.{i}.";
        return new WeightNames("model.embed_tokens", null, null, null,
                l + "self_attn.q_proj", l + "self_attn.k_proj", l + "self_attn.v_proj", null, l + "self_attn.o_proj",
                l + "mlp.gate_proj", l + "mlp.up_proj", null, l + "mlp.down_proj",
                l + "input_layernorm", null, l + "post_attention_layernorm", null,
                null, null, "model.norm", "lm_head", null);
    }

    /** @param name value @return a copy with that field changed */
    public WeightNames withQkv(String name) {
        return new WeightNames(embed, positionEmbed, tokenTypeEmbed, embedNormPrefix, null, null, null, name, o,
                gate, up, gateUp, down, attnInNorm, attnOutNorm, mlpInNorm, mlpOutNorm, qNorm, kNorm, finalNorm, lmHead, pooler);
    }

    /** @param name value @return a copy with the fused gate|up projection set and gate/up cleared */
    public WeightNames withGateUp(String name) {
        return new WeightNames(embed, positionEmbed, tokenTypeEmbed, embedNormPrefix, q, k, v, qkv, o,
                null, null, name, down, attnInNorm, attnOutNorm, mlpInNorm, mlpOutNorm, qNorm, kNorm, finalNorm, lmHead, pooler);
    }

    /**
     * @param attnIn norm before attention
     * @param attnOut norm after attention
     * @param mlpIn norm before the MLP
     * @param mlpOut norm after the MLP
     * @return a copy with those four norm names
     */
    public WeightNames withBlockNorms(String attnIn, String attnOut, String mlpIn, String mlpOut) {
        return new WeightNames(embed, positionEmbed, tokenTypeEmbed, embedNormPrefix, q, k, v, qkv, o,
                gate, up, gateUp, down, attnIn, attnOut, mlpIn, mlpOut, qNorm, kNorm, finalNorm, lmHead, pooler);
    }

    /**
     * @param qn query norm
     * @param kn key norm
     * @return a copy with q/k norm names
     */
    public WeightNames withQkNorms(String qn, String kn) {
        return new WeightNames(embed, positionEmbed, tokenTypeEmbed, embedNormPrefix, q, k, v, qkv, o,
                gate, up, gateUp, down, attnInNorm, attnOutNorm, mlpInNorm, mlpOutNorm, qn, kn, finalNorm, lmHead, pooler);
    }

    /**
     * @param template a per-layer name with {@code {i}}
     * @param layer the block index
     * @return the concrete name
     */
    public static String at(String template, int layer) {
        return template == null ? null : template.replace("{i}", Integer.toString(layer));
    }
}
