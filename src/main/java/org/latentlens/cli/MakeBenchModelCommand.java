package org.latentlens.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.latentlens.io.DType;
import org.latentlens.io.FloatConversions;
import org.latentlens.io.SafetensorsWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens bench make-model}: writes a deterministic random-weight model with the shape of
 * Qwen2.5-0.5B (hidden 896, 24 layers, 14 heads / 2 KV heads, intermediate 4864, vocab 151936, tied
 * embeddings) in bfloat16 safetensors, for throughput benchmarks without downloads. Weights follow
 * HuggingFace's initialisation: N(0, 0.02) matrices, zero biases, unit norm gains.
 */
@Command(name = "make-model", mixinStandardHelpOptions = true,
        description = "Write a random-weight Qwen2.5-0.5B-shaped bf16 model for benchmarks.")
public final class MakeBenchModelCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--seed", defaultValue = "20260211", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--tokenizer", description = "folder with a Qwen tokenizer.json (and tokenizer_config.json) to copy in")
    Path tokenizer;

    @Option(names = "--layers", defaultValue = "24", description = "number of layers (default: ${DEFAULT-VALUE})")
    int layers;

    static final int HIDDEN = 896;
    static final int HEADS = 14;
    static final int KV_HEADS = 2;
    static final int INTER = 4864;
    static final int VOCAB = 151936;

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        int headDim = HIDDEN / HEADS;
        int kv = KV_HEADS * headDim;
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt")
                .metadata("generator", "latentlens bench make-model seed " + seed);
        long[] counter = {0};
        gaussian(w, "model.embed_tokens.weight", seed, counter, VOCAB, HIDDEN);
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            gaussian(w, p + "self_attn.q_proj.weight", seed, counter, HIDDEN, HIDDEN);
            constant(w, p + "self_attn.q_proj.bias", 0f, HIDDEN);
            gaussian(w, p + "self_attn.k_proj.weight", seed, counter, kv, HIDDEN);
            constant(w, p + "self_attn.k_proj.bias", 0f, kv);
            gaussian(w, p + "self_attn.v_proj.weight", seed, counter, kv, HIDDEN);
            constant(w, p + "self_attn.v_proj.bias", 0f, kv);
            gaussian(w, p + "self_attn.o_proj.weight", seed, counter, HIDDEN, HIDDEN);
            gaussian(w, p + "mlp.gate_proj.weight", seed, counter, INTER, HIDDEN);
            gaussian(w, p + "mlp.up_proj.weight", seed, counter, INTER, HIDDEN);
            gaussian(w, p + "mlp.down_proj.weight", seed, counter, HIDDEN, INTER);
            constant(w, p + "input_layernorm.weight", 1f, HIDDEN);
            constant(w, p + "post_attention_layernorm.weight", 1f, HIDDEN);
        }
        constant(w, "model.norm.weight", 1f, HIDDEN);
        w.write(out.resolve("model.safetensors"));
        String config = """
                {
                  "architectures": ["Qwen2ForCausalLM"],
                  "model_type": "qwen2",
                  "hidden_size": %d,
                  "num_hidden_layers": %d,
                  "num_attention_heads": %d,
                  "num_key_value_heads": %d,
                  "intermediate_size": %d,
                  "vocab_size": %d,
                  "max_position_embeddings": 32768,
                  "rms_norm_eps": 1e-06,
                  "rope_theta": 1000000.0,
                  "hidden_act": "silu",
                  "tie_word_embeddings": true,
                  "use_sliding_window": false,
                  "torch_dtype": "bfloat16"
                }
                """.formatted(HIDDEN, layers, HEADS, KV_HEADS, INTER, VOCAB);
        Files.writeString(out.resolve("config.json"), config);
        if (tokenizer != null) {
            for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
                Path src = tokenizer.resolve(f);
                if (Files.isRegularFile(src)) {
                    Files.copy(src, out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        System.out.println("wrote a random Qwen2.5-0.5B-shaped model (" + layers + " layers, bf16, seed " + seed + ") to " + out);
        return 0;
    }

    private static void gaussian(SafetensorsWriter w, String name, long seed, long[] counter, long rows, long cols) {
        long tensorSeed = seed * 1_000_003L + counter[0]++;
        w.add(name, DType.BF16, new long[] {rows, cols}, os -> writeBf16(os, rows * cols, new SplittableRandom(tensorSeed)));
    }

    private static void writeBf16(OutputStream os, long n, SplittableRandom rng) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            if (!b.hasRemaining()) {
                os.write(b.array(), 0, b.position());
                b.clear();
            }
            b.putShort(FloatConversions.floatToBf16((float) (rng.nextGaussian() * 0.02)));
        }
        os.write(b.array(), 0, b.position());
    }

    private static void constant(SafetensorsWriter w, String name, float value, long n) {
        float[] v = new float[(int) n];
        java.util.Arrays.fill(v, value);
        w.addFloatsAsBf16(name, v, n);
    }
}
