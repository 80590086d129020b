package org.latentlens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.latentlens.corpus.Corpus;
import org.latentlens.hub.HubClient;
import org.latentlens.index.BuildOptions;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.IndexBuilder;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;
import org.latentlens.model.TokenBatch;
import org.latentlens.vision.model.VisionLanguageModel;

/**
 * The facade a notebook user types first: load a model, get hidden states, build and search an index.
 */
public final class LatentLens {
    private LatentLens() {
    }

    /**
     * Loads a HuggingFace model folder with default options.
     *
     * @param folder a folder with config.json, safetensors weights and (optionally) tokenizer files
     * @return the model; close it when done
     */
    public static Model loadModel(Path folder) {
        return loadModel(folder, LoadOptions.defaults());
    }

    /**
     * Loads a HuggingFace model folder.
     *
     * @param folder a folder with config.json, safetensors weights and (optionally) tokenizer files
     * @param options load options
     * @return the model; close it when done
     */
    public static Model loadModel(Path folder, LoadOptions options) {
        configureOffline();
        return ModelLoader.load(folder, options);
    }

    /** Names under which the embedded default model (all-MiniLM-L6-v2 from Maven Central) can be loaded. */
    public static final java.util.Set<String> EMBEDDED_NAMES = java.util.Set.of("embedded", "all-MiniLM-L6-v2",
            "sentence-transformers/all-MiniLM-L6-v2");

    /**
     * Loads a model by name: {@code "embedded"} (or {@code all-MiniLM-L6-v2}) for the bundled default model,
     * a local folder path, or a HuggingFace Hub repo id ({@code "Qwen/Qwen2.5-7B"}, optionally {@code @revision}),
     * fetched into the huggingface_hub cache shared with Python (see {@link HubClient} for settings).
     *
     * @param nameOrPath a name or a local folder
     * @return the model; close it when done
     */
    public static Model loadModel(String nameOrPath) {
        return loadModel(nameOrPath, LoadOptions.defaults());
    }

    /**
     * Loads a model by name with options; see {@link #loadModel(String)}.
     *
     * @param nameOrPath a name or a local folder
     * @param options load options
     * @return the model; close it when done
     */
    public static Model loadModel(String nameOrPath, LoadOptions options) {
        configureOffline();
        if (EMBEDDED_NAMES.contains(nameOrPath)) {
            return ModelLoader.loadEmbeddedMiniLm(options);
        }
        return ModelLoader.load(modelFolder(nameOrPath, options), options);
    }

    /**
     * The local folder of a model: the path itself, or for a HuggingFace Hub repo id ({@code org/name[@revision]})
     * its snapshot in the huggingface_hub cache, downloaded first when missing (weights, configs, tokenizer,
     * image processor and chat template files).
     *
     * @param nameOrPath a local folder or a repo id
     * @param options load options (their Hub settings, if any)
     * @return the folder
     * @throws UncheckedIOException when the download fails; the message names the repo
     */
    public static Path modelFolder(String nameOrPath, LoadOptions options) {
        if (!HubClient.looksLikeRepoId(nameOrPath)) {
            return Path.of(nameOrPath);
        }
        configureOffline();
        try (HubClient hub = options.hub() == null ? new HubClient() : new HubClient(options.hub())) {
            return hub.modelFolder(nameOrPath);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Loads a vision-language model (LLaVA, Qwen2-VL, Qwen2.5-VL) from a local folder or a Hub repo id, e.g.
     * {@code "Qwen/Qwen2-VL-2B-Instruct"}; its processor comes from the same folder:
     * {@code VlmProcessor.load(LatentLens.modelFolder(name, options))} (a cached snapshot is not fetched again).
     *
     * @param nameOrPath a local folder or a repo id
     * @return the model; close it when done
     */
    public static VisionLanguageModel loadVisionModel(String nameOrPath) {
        return loadVisionModel(nameOrPath, LoadOptions.defaults());
    }

    /**
     * Loads a vision-language model with options; see {@link #loadVisionModel(String)}.
     *
     * @param nameOrPath a local folder or a repo id
     * @param options load options
     * @return the model; close it when done
     */
    public static VisionLanguageModel loadVisionModel(String nameOrPath, LoadOptions options) {
        configureOffline();
        return VisionLanguageModel.load(modelFolder(nameOrPath, options), options);
    }

    /**
     * Builds a contextual index of the bundled {@code concepts.txt} with default options (layers
     * {@code autoLayers(n)}, 50 contexts per token id, batch 32, float16 storage).
     *
     * @param model a loaded model with a tokenizer (not closed here)
     * @param out the index directory (replaced atomically when the build completes; a killed build resumes)
     * @return the index
     * @throws IOException if writing fails
     */
    public static ContextualIndex buildIndex(Model model, Path out) throws IOException {
        return buildIndex(model, Corpus.bundled(), BuildOptions.defaults(), out);
    }

    /**
     * Builds a contextual index.
     *
     * @param model a loaded model with a tokenizer (not closed here)
     * @param corpus the sentences: {@code Corpus.load(path)} for .txt/.csv, {@code Corpus.of(list)}, {@code Corpus.bundled()}
     * @param options build options
     * @param out the index directory
     * @return the index
     * @throws IOException if writing fails
     */
    public static ContextualIndex buildIndex(Model model, Corpus corpus, BuildOptions options, Path out) throws IOException {
        return IndexBuilder.build(model, corpus.sentences(), corpus.source(), options, out);
    }

    /**
     * Builds a contextual index over a list of sentences.
     *
     * @param model a loaded model with a tokenizer (not closed here)
     * @param sentences the sentences
     * @param options build options
     * @param out the index directory
     * @return the index
     * @throws IOException if writing fails
     */
    public static ContextualIndex buildIndex(Model model, List<String> sentences, BuildOptions options, Path out)
            throws IOException {
        return buildIndex(model, Corpus.of(sentences), options, out);
    }

    /**
     * Loads a model by name (see {@link #loadModel(String)}), builds an index with it and closes it.
     *
     * @param modelNameOrPath {@code "embedded"}, a folder or a Hub repo id
     * @param corpus the sentences
     * @param options build options
     * @param out the index directory
     * @return the index
     * @throws IOException if writing fails
     */
    public static ContextualIndex buildIndex(String modelNameOrPath, Corpus corpus, BuildOptions options, Path out)
            throws IOException {
        try (Model model = loadModel(modelNameOrPath)) {
            return buildIndex(model, corpus, options, out);
        }
    }

    /**
     * A contextual index from a local folder or the HuggingFace Hub ({@code org/name[@revision]}), in our format
     * or the original Python one, fetching only the requested layers.
     *
     * @param pathOrRepo a folder or a repo id
     * @param layers the layers to load; none means all
     * @return the index
     * @throws IOException when it cannot be fetched or read
     */
    public static ContextualIndex loadIndex(String pathOrRepo, int... layers) throws IOException {
        return ContextualIndex.fromPretrained(pathOrRepo, layers);
    }

    /**
     * Every hidden state of a batch of token ids (all rows real tokens; see {@link TokenBatch} for masks).
     *
     * @param model a loaded model
     * @param inputIds token ids [B][L]
     * @return the hidden states, indexed 0 (embeddings) to n (after the final norm)
     */
    public static HiddenStates getHiddenStates(Model model, long[][] inputIds) {
        return model.hiddenStates(new TokenBatch(inputIds, null, null));
    }

    /**
     * Every hidden state of a batch of token ids with an attention mask.
     *
     * @param model a loaded model
     * @param inputIds token ids [B][L]
     * @param attentionMask 1 for real tokens, 0 for padding, [B][L]
     * @return the hidden states
     */
    public static HiddenStates getHiddenStates(Model model, long[][] inputIds, long[][] attentionMask) {
        return model.hiddenStates(new TokenBatch(inputIds, attentionMask, null));
    }

    /**
     * Makes sure DJL never reaches for the network: without this it contacts a metadata endpoint and a
     * telemetry URL at start-up. Called by every entry point; harmless to call again.
     */
    public static void configureOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }
}
