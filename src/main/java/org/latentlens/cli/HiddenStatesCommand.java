package org.latentlens.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.latentlens.LatentLens;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.io.SafetensorsWriter;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;
import org.latentlens.model.TokenBatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens hidden-states}: runs a model on token ids (or text) and writes every hidden state and
 * the logits in the layout of the fixtures' {@code expected.safetensors}, so any fixture can be checked
 * with one command.
 */
@Command(name = "hidden-states", mixinStandardHelpOptions = true,
        description = "Write every hidden state (and logits) of a model to a safetensors file.")
public final class HiddenStatesCommand implements Callable<Integer> {

    @Option(names = "--model", required = true,
            description = "HuggingFace model folder, or a Hub repo id (org/name[@revision]) fetched into the cache")
    String modelName;

    @Option(names = "--config", defaultValue = "config.json", description = "config file inside the folder (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--weights", description = "weights file inside the folder (default: model.safetensors[.index.json])")
    String weights;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda, cuda:N or auto (default: ${DEFAULT-VALUE})")
    String device;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--inputs", description = "safetensors with int64 input_ids [B,L], attention_mask [B,L], optional token_type_ids")
        Path inputs;

        @Option(names = "--text", description = "a text to tokenize (repeat for a batch)")
        List<String> texts;
    }

    @Option(names = "--image", description = "an image file for a VLM, with --text (repeat for several images)")
    List<Path> images;

    @Option(names = "--out", required = true, description = "output safetensors file")
    Path out;

    @Option(names = "--no-logits", description = "skip the LM head")
    boolean noLogits;

    @Option(names = "--rope-semantics", defaultValue = "5",
            description = "Qwen2-VL positions without position_ids: 5 (transformers 5.x, default) or 4 (4.x)")
    String ropeSemantics;

    @Override
    public Integer call() throws Exception {
        LoadOptions opts = LoadOptions.builder().optConfigFile(config).optWeightsFile(weights).optDevice(device).build();
        Path model = LatentLens.modelFolder(modelName, opts);
        if (VisionHiddenStates.handles(model, opts)) {
            VisionHiddenStates.run(model, opts, input.inputs, images, input.texts, out, !noLogits, ropeSemantics);
            return 0;
        }
        try (Model m = ModelLoader.load(model, opts)) {
            TokenBatch batch = input.inputs != null ? readInputs(input.inputs) : m.tokenizer().batch(input.texts);
            boolean logits = m.hasLmHead() && !noLogits;
            HiddenStates hs = m.hiddenStates(batch, ForwardOptions.builder().optLogits(logits).build());
            int b = batch.batchSize();
            int len = batch.seqLen();
            int d = m.hiddenSize();
            SafetensorsWriter w = new SafetensorsWriter().metadata("model", model.toString());
            w.addLongs("input_ids", flatten(batch.inputIds()), b, len);
            w.addLongs("attention_mask", flatten(batch.attentionMask()), b, len);
            if (batch.tokenTypeIds() != null) {
                w.addLongs("token_type_ids", flatten(batch.tokenTypeIds()), b, len);
            }
            for (int i = 0; i < hs.numStates(); i++) {
                w.addFloats("hidden_states." + i, hs.state(i), b, len, d);
            }
            if (!m.isCausal()) {
                w.addFloats("last_hidden_state", hs.state(m.numLayers()), b, len, d);
            }
            hs.poolerOutput().ifPresent(p -> w.addFloats("pooler_output", p, b, d));
            hs.logits().ifPresent(l -> w.addFloats("logits", l, b, len, hs.vocabSize()));
            w.write(out);
            System.out.printf("wrote %d hidden states [%d, %d, %d]%s to %s%n", hs.numStates(), b, len, d,
                    hs.logits().isPresent() ? " and logits [" + b + ", " + len + ", " + hs.vocabSize() + "]" : "", out);
        }
        return 0;
    }

    static TokenBatch readInputs(Path file) {
        try (SafetensorsCheckpoint in = SafetensorsCheckpoint.openFiles(file.toString(), List.of(file))) {
            long[] shape = in.info("input_ids").shape();
            if (shape.length != 2) {
                throw new IllegalArgumentException(file + ": input_ids must be [B, L], got " + java.util.Arrays.toString(shape));
            }
            long[][] ids = rows(in.loadLongs("input_ids"), shape, file, "input_ids");
            long[][] mask = null;
            if (in.has("attention_mask")) {
                long[] ms = in.info("attention_mask").shape();
                if (!java.util.Arrays.equals(ms, shape)) {
                    throw new IllegalArgumentException(file + ": attention_mask has shape " + java.util.Arrays.toString(ms)
                            + " but input_ids has " + java.util.Arrays.toString(shape));
                }
                mask = rows(in.loadLongs("attention_mask"), ms, file, "attention_mask");
            }
            long[][] types = null;
            if (in.has("token_type_ids")) {
                types = rows(in.loadLongs("token_type_ids"), in.info("token_type_ids").shape(), file, "token_type_ids");
            }
            return new TokenBatch(ids, mask, types);
        }
    }

    private static long[][] rows(long[] flat, long[] shape, Path file, String name) {
        if (shape.length != 2) {
            throw new IllegalArgumentException(file + ": " + name + " must be [B, L], got " + java.util.Arrays.toString(shape));
        }
        int b = (int) shape[0];
        int len = (int) shape[1];
        long[][] out = new long[b][len];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * len, out[i], 0, len);
        }
        return out;
    }

    static long[] flatten(long[][] a) {
        int len = a[0].length;
        long[] out = new long[a.length * len];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * len, len);
        }
        return out;
    }
}
