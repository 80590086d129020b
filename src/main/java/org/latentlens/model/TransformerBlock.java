package org.latentlens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * One transformer block over packed tokens: attention (GQA, optional biases, q/k norms, clamping, RoPE,
 * soft-capping, sliding window) and an MLP (gated or plain), with the norms placed as the blueprint says.
 * Projections are fused at load time (q|k|v and gate|up), so each is one matrix product.
 */
final class TransformerBlock {
    private final Blueprint bp;
    private final int layer;
    private final Projection qkvProj;
    private final Projection outProj;
    private final Projection upProj;
    private final Projection downProj;
    private final Norm attnIn;
    private final Norm attnOut;
    private final Norm mlpIn;
    private final Norm mlpOut;
    private final Norm qNorm;
    private final Norm kNorm;
    /** DINOv2's per-channel layer scale after attention and after the MLP, or null (most models). */
    private NDArray layerScale1;
    private NDArray layerScale2;

    TransformerBlock(Blueprint bp, int layer, Projection qkvProj, Projection outProj, Projection upProj,
                     Projection downProj, Norm attnIn, Norm attnOut, Norm mlpIn, Norm mlpOut, Norm qNorm, Norm kNorm) {
        this.bp = bp;
        this.layer = layer;
        this.qkvProj = qkvProj;
        this.outProj = outProj;
        this.upProj = upProj;
        this.downProj = downProj;
        this.attnIn = attnIn;
        this.attnOut = attnOut;
        this.mlpIn = mlpIn;
        this.mlpOut = mlpOut;
        this.qNorm = qNorm;
        this.kNorm = kNorm;
    }

    /**
     * Adds a per-channel layer scale (DINOv2, CaiT): the attention and MLP outputs are multiplied by
     * {@code ls1} and {@code ls2} before their residual additions.
     *
     * @param ls1 scale of the attention output [D]
     * @param ls2 scale of the MLP output [D]
     */
    void setLayerScale(NDArray ls1, NDArray ls2) {
        this.layerScale1 = ls1;
        this.layerScale2 = ls2;
    }

    /**
     * @param x packed residual stream [T, D]
     * @param batch layout and masks
     * @param rope cos and sin [T, 1, rotaryDim] for this layer's rope, or null
     * @return the block's output [T, D]
     */
    NDArray forward(NDArray x, PackedBatch batch, NDArray[] rope) {
        boolean post = bp.placement() == NormPlacement.POST_RESIDUAL;
        NDArray h = attnIn != null ? attnIn.apply(x) : x;
        NDArray a = attention(h, batch, rope);
        if (attnOut != null && !post) {
            a = attnOut.apply(a);
        }
        if (layerScale1 != null) {
            a = a.mul(layerScale1);
        }
        x = x.add(a);
        if (post) {
            x = attnOut.apply(x);
        }
        h = mlpIn != null ? mlpIn.apply(x) : x;
        NDArray m = mlp(h);
        if (mlpOut != null && !post) {
            m = mlpOut.apply(m);
        }
        if (layerScale2 != null) {
            m = m.mul(layerScale2);
        }
        x = x.add(m);
        if (post) {
            x = mlpOut.apply(x);
        }
        return x;
    }

    private NDArray attention(NDArray h, PackedBatch batch, NDArray[] rope) {
        int heads = bp.numHeads();
        int kvHeads = bp.numKvHeads();
        int hd = bp.headDim();
        int qDim = heads * hd;
        int kvDim = kvHeads * hd;
        long t = h.getShape().get(0);
        NDArray qkv = qkvProj.apply(h);
        NDArray q = qkv.get(new NDIndex(":, 0:" + qDim));
        NDArray k = qkv.get(new NDIndex(":, " + qDim + ":" + (qDim + kvDim)));
        NDArray v = qkv.get(new NDIndex(":, " + (qDim + kvDim) + ":"));
        if (bp.clipQkv() > 0) {
            double c = bp.clipQkv();
            q = q.clip(-c, c);
            k = k.clip(-c, c);
            v = v.clip(-c, c);
        }
        if (bp.qkNorm() == Blueprint.QkNorm.WHOLE) {
            q = qNorm.apply(q);
            k = kNorm.apply(k);
        }
        q = q.reshape(t, heads, hd);
        k = k.reshape(t, kvHeads, hd);
        v = v.reshape(t, kvHeads, hd);
        if (bp.qkNorm() == Blueprint.QkNorm.PER_HEAD) {
            q = qNorm.apply(q);
            k = kNorm.apply(k);
        }
        if (rope != null) {
            q = rotate(q, rope[0], rope[1]);
            k = rotate(k, rope[0], rope[1]);
        }
        int b = batch.batch;
        int lm = batch.maxLen;
        int rep = heads / kvHeads;
        // [T, heads, hd] -> [B, heads, Lmax, hd]; query heads grouped per KV head, so GQA is a reshape, not a copy of K/V
        NDArray qp = batch.toPadded(q).transpose(0, 2, 1, 3).reshape(b, kvHeads, (long) rep * lm, hd);
        NDArray kp = batch.toPadded(k).transpose(0, 2, 1, 3);
        NDArray vp = batch.toPadded(v).transpose(0, 2, 1, 3);
        NDArray scores = qp.matMul(kp.transpose(0, 1, 3, 2)).mul((float) bp.attnScale());
        if (bp.attnSoftcap() > 0) {
            float cap = (float) bp.attnSoftcap();
            scores = scores.div(cap).tanh().mul(cap);
        }
        scores = scores.reshape(b, heads, lm, lm);
        NDArray mask = batch.mask(bp.causal(), bp.slidingWindowPerLayer()[layer]);
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray probs = scores.softmax(-1).reshape(b, kvHeads, (long) rep * lm, lm);
        NDArray ctx = probs.matMul(vp).reshape(b, heads, lm, hd).transpose(0, 2, 1, 3);
        NDArray packed = batch.toPacked(ctx).reshape(t, qDim);
        return outProj.apply(packed);
    }

    /** HuggingFace's non-interleaved rotation: pairs (i, i + rot/2), {@code x*cos + rotate_half(x)*sin}. */
    private NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        int rot = bp.rotaryDim();
        int hd = bp.headDim();
        int half = rot / 2;
        NDArray xr = rot < hd ? x.get(new NDIndex("..., 0:" + rot)) : x;
        NDArray x1 = xr.get(new NDIndex("..., 0:" + half));
        NDArray x2 = xr.get(new NDIndex("..., " + half + ":"));
        NDArray rotated = x2.neg().concat(x1, -1);
        NDArray out = xr.mul(cos).add(rotated.mul(sin));
        if (rot < hd) {
            out = out.concat(x.get(new NDIndex("..., " + rot + ":")), -1);
        }
        return out;
    }

    private NDArray mlp(NDArray h) {
        NDArray up = upProj.apply(h);
        NDArray act;
        if (bp.gatedMlp()) {
            int inter = bp.intermediateSize();
            NDArray gate = up.get(new NDIndex(":, 0:" + inter));
            NDArray u = up.get(new NDIndex(":, " + inter + ":"));
            act = activate(gate).mul(u);
        } else {
            act = activate(up);
        }
        return downProj.apply(act);
    }

    private NDArray activate(NDArray x) {
        return bp.activation().apply(x);
    }

    /** @return the shape check helper's view of this block, for messages */
    @Override
    public String toString() {
        return "block " + layer + " of " + bp.modelType();
    }
}
