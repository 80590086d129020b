package org.latentlens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.latentlens.io.AtomicFiles;
import org.latentlens.io.DType;
import org.latentlens.io.FloatConversions;
import org.latentlens.io.SafetensorsWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens bench make-model}: writes a deterministic random-weight model with the shape of a
 * published checkpoint ({@link BenchModelShape}: Qwen2.5-0.5B, Qwen2-VL-2B, Qwen2.5-VL-3B) in bfloat16
 * safetensors, laid out as the HuggingFace Hub ships it (flat transformers-4.x config, {@code model.*},
 * {@code visual.*} tensor names), for throughput benchmarks without downloads. Weights follow
 * HuggingFace's initialisation: N(0, 0.02) matrices, zero biases, unit norm gains.
 */
@Command(name = "make-model", mixinStandardHelpOptions = true,
        description = "Write a random-weight bf16 model shaped like a published checkpoint, for benchmarks.")
public final class MakeBenchModelCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--shape", defaultValue = "qwen2.5-0.5b",
            description = "qwen2.5-0.5b, qwen2-vl-2b or qwen2.5-vl-3b (default: ${DEFAULT-VALUE})")
    String shape;

    @Option(names = "--seed", defaultValue = "20260211", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--tokenizer", description = "folder with a Qwen tokenizer.json (and tokenizer_config.json) to copy in")
    Path tokenizer;

    @Option(names = "--layers", defaultValue = "0", description = "language-model layers (default: the shape's)")
    int layers;

    @Option(names = "--vision-layers", defaultValue = "0", description = "vision blocks (default: the shape's)")
    int visionLayers;

    /** Qwen's special-token ids (the same in every Qwen2/2.5/3 tokenizer). */
    static final int VISION_START = 151652;
    static final int VISION_END = 151653;
    static final int IMAGE_PAD = 151655;
    static final int VIDEO_PAD = 151656;

    /**
     * A Qwen-VL-style chat template (system turn, user turn with image blocks, assistant prompt), written
     * for these benchmark models so that {@code bench forward} measures a realistically formatted prompt.
     */
    static final String CHAT_TEMPLATE = "{% for message in messages %}"
            + "{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n{% endif %}"
            + "<|im_start|>{{ message['role'] }}\n"
            + "{% if message['content'] is string %}{{ message['content'] }}"
            + "{% else %}{% for part in message['content'] %}"
            + "{% if part['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
            + "{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}"
            + "{% endfor %}{% endif %}<|im_end|>\n{% endfor %}"
            + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        BenchModelShape s = BenchModelShape.named(shape).truncated(layers, visionLayers);
        write(s, out, seed, tokenizer);
        System.out.printf("wrote a random %s-shaped model (%d layers%s, %.2fB parameters, bf16, seed %d) to %s%n", s.name(),
                s.text().layers(), s.vision() == null ? "" : ", " + s.vision().depth() + " vision blocks",
                s.parameters() / 1e9, seed, out);
        return 0;
    }

    /**
     * Writes {@code model.safetensors}, {@code config.json}, for a VLM {@code preprocessor_config.json}, and
     * (given a tokenizer folder) {@code tokenizer.json} and {@code tokenizer_config.json}.
     *
     * @param s the shape
     * @param out the model folder (created)
     * @param seed the random seed
     * @param tokenizer a folder holding a Qwen tokenizer.json, or null
     * @throws IOException when a file cannot be written or the tokenizer cannot be read
     */
    static void write(BenchModelShape s, Path out, long seed, Path tokenizer) throws IOException {
        Files.createDirectories(out);
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt")
                .metadata("generator", "latentlens bench make-model --shape " + s.name() + " seed " + seed);
        RandomTensors g = new RandomTensors(w, seed);
        writeLanguageModel(g, s.text());
        if (s.vision() != null) {
            writeVision(g, s.vision(), s.text().hidden());
        }
        try (ProgressBar pb = TerminalProgress.bar("write", s.parameters(), " M params", 1_000_000)) {
            g.progress = pb;
            w.write(out.resolve("model.safetensors"));
        }
        AtomicFiles.writeString(out.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config(s)));
        if (s.vision() != null) {
            AtomicFiles.writeString(out.resolve("preprocessor_config.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(preprocessorConfig()));
        }
        if (tokenizer != null) {
            copyTokenizer(tokenizer, out, s.vision() != null);
        }
    }

    private static void writeLanguageModel(RandomTensors g, BenchModelShape.Text t) {
        int h = t.hidden();
        int kv = t.kvHeads() * (h / t.heads());
        g.matrix("model.embed_tokens.weight", t.vocab(), h);
        for (int i = 0; i < t.layers(); i++) {
            String p = "model.layers." + i + ".";
            g.matrix(p + "self_attn.q_proj.weight", h, h);
            g.constant(p + "self_attn.q_proj.bias", 0f, h);
            g.matrix(p + "self_attn.k_proj.weight", kv, h);
            g.constant(p + "self_attn.k_proj.bias", 0f, kv);
            g.matrix(p + "self_attn.v_proj.weight", kv, h);
            g.constant(p + "self_attn.v_proj.bias", 0f, kv);
            g.matrix(p + "self_attn.o_proj.weight", h, h);
            g.matrix(p + "mlp.gate_proj.weight", t.intermediate(), h);
            g.matrix(p + "mlp.up_proj.weight", t.intermediate(), h);
            g.matrix(p + "mlp.down_proj.weight", h, t.intermediate());
            g.constant(p + "input_layernorm.weight", 1f, h);
            g.constant(p + "post_attention_layernorm.weight", 1f, h);
        }
        g.constant("model.norm.weight", 1f, h);
    }

    private static void writeVision(RandomTensors g, BenchModelShape.Vision v, int outHidden) {
        int d = v.width();
        g.tensor("visual.patch_embed.proj.weight", d, 3, 2, 14, 14);
        for (int i = 0; i < v.depth(); i++) {
            String p = "visual.blocks." + i + ".";
            norm(g, p + "norm1", d, !v.v25());
            norm(g, p + "norm2", d, !v.v25());
            g.matrix(p + "attn.qkv.weight", 3 * d, d);
            g.constant(p + "attn.qkv.bias", 0f, 3 * d);
            g.matrix(p + "attn.proj.weight", d, d);
            g.constant(p + "attn.proj.bias", 0f, d);
            int m = v.intermediate();
            if (v.v25()) {
                g.matrix(p + "mlp.gate_proj.weight", m, d);
                g.constant(p + "mlp.gate_proj.bias", 0f, m);
                g.matrix(p + "mlp.up_proj.weight", m, d);
                g.constant(p + "mlp.up_proj.bias", 0f, m);
                g.matrix(p + "mlp.down_proj.weight", d, m);
                g.constant(p + "mlp.down_proj.bias", 0f, d);
            } else {
                g.matrix(p + "mlp.fc1.weight", m, d);
                g.constant(p + "mlp.fc1.bias", 0f, m);
                g.matrix(p + "mlp.fc2.weight", d, m);
                g.constant(p + "mlp.fc2.bias", 0f, d);
            }
        }
        int ctx = 4 * d;
        norm(g, "visual.merger.ln_q", d, !v.v25());
        g.matrix("visual.merger.mlp.0.weight", ctx, ctx);
        g.constant("visual.merger.mlp.0.bias", 0f, ctx);
        g.matrix("visual.merger.mlp.2.weight", outHidden, ctx);
        g.constant("visual.merger.mlp.2.bias", 0f, outHidden);
    }

    private static void norm(RandomTensors g, String prefix, int d, boolean withBias) {
        g.constant(prefix + ".weight", 1f, d);
        if (withBias) {
            g.constant(prefix + ".bias", 0f, d);
        }
    }

    /** The flat config the Hub's Qwen checkpoints carry (text keys at the top level, as transformers 4.x wrote them). */
    static ObjectNode config(BenchModelShape s) {
        BenchModelShape.Text t = s.text();
        ObjectNode c = JSON.createObjectNode();
        String arch = switch (s.modelType()) {
            case "qwen2_vl" -> "Qwen2VLForConditionalGeneration";
            case "qwen2_5_vl" -> "Qwen2_5_VLForConditionalGeneration";
            default -> "Qwen2ForCausalLM";
        };
        c.putArray("architectures").add(arch);
        c.put("model_type", s.modelType());
        c.put("hidden_size", t.hidden());
        c.put("num_hidden_layers", t.layers());
        c.put("num_attention_heads", t.heads());
        c.put("num_key_value_heads", t.kvHeads());
        c.put("intermediate_size", t.intermediate());
        c.put("vocab_size", t.vocab());
        c.put("max_position_embeddings", t.maxPositions());
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", 1000000.0);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", true);
        c.put("use_sliding_window", false);
        c.put("torch_dtype", "bfloat16");
        c.put("bos_token_id", 151643);
        c.put("eos_token_id", 151645);
        BenchModelShape.Vision v = s.vision();
        if (v != null) {
            ObjectNode rope = c.putObject("rope_scaling");
            rope.put("type", "mrope");
            // Qwen's split of the rotary pairs over (time, height, width): 16/24/24 of 64 at head_dim 128
            int pairs = t.hidden() / t.heads() / 2;
            rope.putArray("mrope_section").add(pairs / 4).add(pairs * 3 / 8).add(pairs - pairs / 4 - pairs * 3 / 8);
            c.put("vision_start_token_id", VISION_START);
            c.put("vision_end_token_id", VISION_END);
            c.put("image_token_id", IMAGE_PAD);
            c.put("video_token_id", VIDEO_PAD);
            ObjectNode vc = c.putObject("vision_config");
            vc.put("depth", v.depth());
            vc.put("num_heads", v.heads());
            vc.put("in_chans", 3);
            vc.put("patch_size", 14);
            vc.put("spatial_merge_size", 2);
            vc.put("temporal_patch_size", 2);
            if (v.v25()) {
                vc.put("model_type", "qwen2_5_vl");
                vc.put("hidden_size", v.width());
                vc.put("intermediate_size", v.intermediate());
                vc.put("out_hidden_size", t.hidden());
                vc.put("hidden_act", "silu");
                vc.put("window_size", 112);
                vc.put("tokens_per_second", 2);
                ArrayNode full = vc.putArray("fullatt_block_indexes");
                v.fullAttentionBlocks().forEach(full::add);
            } else {
                vc.put("embed_dim", v.width());
                vc.put("mlp_ratio", (double) v.intermediate() / v.width());
                vc.put("hidden_size", t.hidden());
                vc.put("hidden_act", "quick_gelu");
            }
        }
        return c;
    }

    /** Qwen2-VL's processor settings as the Hub ships them (OpenAI CLIP statistics, pixel limits at the top level). */
    static ObjectNode preprocessorConfig() {
        ObjectNode p = JSON.createObjectNode();
        p.put("image_processor_type", "Qwen2VLImageProcessor");
        p.put("processor_class", "Qwen2VLProcessor");
        p.put("do_resize", true);
        p.put("do_rescale", true);
        p.put("do_normalize", true);
        p.put("do_convert_rgb", true);
        p.put("resample", 3);
        p.put("rescale_factor", 1 / 255.0);
        p.putArray("image_mean").add(0.48145466).add(0.4578275).add(0.40821073);
        p.putArray("image_std").add(0.26862954).add(0.26130258).add(0.27577711);
        p.put("min_pixels", 3136);
        p.put("max_pixels", 12845056);
        p.put("patch_size", 14);
        p.put("temporal_patch_size", 2);
        p.put("merge_size", 2);
        return p;
    }

    private static void copyTokenizer(Path tokenizer, Path out, boolean vlm) throws IOException {
        Path json = tokenizer.resolve("tokenizer.json");
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException(tokenizer + " has no tokenizer.json");
        }
        Files.copy(json, out.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        Path cfg = tokenizer.resolve("tokenizer_config.json");
        ObjectNode tc = Files.isRegularFile(cfg) ? (ObjectNode) JSON.readTree(cfg.toFile()) : JSON.createObjectNode();
        if (vlm) {
            // the copied tokenizer's own template (Qwen3's, for example) knows no image parts
            tc.put("chat_template", CHAT_TEMPLATE);
        }
        AtomicFiles.writeString(out.resolve("tokenizer_config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tc));
    }

    private static void constant(SafetensorsWriter w, String name, float value, long n) {
        float[] v = new float[(int) n];
        java.util.Arrays.fill(v, value);
        w.addFloatsAsBf16(name, v, n);
    }

    /**
     * The checkpoint's tensors as HF initialises them: N(0, 0.02) matrices, each from its own seeded stream so
     * a tensor's values do not depend on the others' sizes, and constant norms and biases; all counted on the
     * progress bar as they are written.
     */
    private static final class RandomTensors {
        private final SafetensorsWriter writer;
        private final long seed;
        private long counter;
        ProgressBar progress;

        RandomTensors(SafetensorsWriter writer, long seed) {
            this.writer = writer;
            this.seed = seed;
        }

        void constant(String name, float value, int n) {
            float[] v = new float[n];
            java.util.Arrays.fill(v, value);
            writer.add(name, DType.BF16, new long[] {n}, os -> {
                ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (float x : v) {
                    b.putShort(FloatConversions.floatToBf16(x));
                }
                os.write(b.array());
                step(n);
            });
        }

        private void step(long n) {
            if (progress != null) {
                progress.stepBy(n);
            }
        }

        void matrix(String name, long rows, long cols) {
            tensor(name, rows, cols);
        }

        void tensor(String name, long... shape) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            long tensorSeed = seed * 1_000_003L + counter++;
            long count = n;
            writer.add(name, DType.BF16, shape, os -> write(os, count, new SplittableRandom(tensorSeed)));
        }

        private void write(OutputStream os, long n, SplittableRandom rng) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < n; i++) {
                if (!b.hasRemaining()) {
                    os.write(b.array(), 0, b.position());
                    b.clear();
                }
                b.putShort(FloatConversions.floatToBf16((float) (rng.nextGaussian() * 0.02)));
            }
            os.write(b.array(), 0, b.position());
            step(n);
        }
    }
}
