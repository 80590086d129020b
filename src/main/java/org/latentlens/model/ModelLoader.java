package org.latentlens.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.io.WeightSource;
import org.latentlens.io.onnx.BertOnnxImporter;
import org.latentlens.model.embedded.EmbeddedModel;
import org.latentlens.model.embedded.EmbeddedModels;
import org.latentlens.model.family.Families;
import org.latentlens.tokenizer.HfTokenizer;
import org.latentlens.tokenizer.TextTokenizer;

/** Loads a HuggingFace model folder (config.json, safetensors, tokenizer files) into a {@link Model}. */
public final class ModelLoader {
    private ModelLoader() {
    }

    /**
     * @param folder a HuggingFace model folder
     * @param options load options
     * @return the model
     * @throws ConfigException for a missing or unsupported config, naming the file and key
     * @throws org.latentlens.io.TensorFormatException for missing, malformed or mis-shaped weights
     */
    public static Model load(Path folder, LoadOptions options) {
        if (!Files.isDirectory(folder)) {
            throw new ConfigException("model folder " + folder + " does not exist or is not a directory");
        }
        HfConfig config = HfConfig.read(folder.resolve(options.configFile()));
        Blueprint bp = Families.describe(config);
        WeightSource weights = options.weightsFile() != null ? openWeights(folder.resolve(options.weightsFile()))
                : hasSafetensors(folder) || !Files.isRegularFile(folder.resolve("model.onnx"))
                ? SafetensorsCheckpoint.openFolder(folder)
                : BertOnnxImporter.importModel(folder.resolve("model.onnx")).weights();
        return assemble(folder.toString(), bp, weights, folder, options);
    }

    /**
     * Assembles a model from weights that do not come from safetensors (an ONNX import, for example).
     *
     * @param id a name for the model
     * @param bp its blueprint
     * @param weights its weights (owned by the model from now on)
     * @param tokenizerFolder a folder with tokenizer files, or null
     * @param options load options
     * @return the model
     */
    public static Model assemble(String id, Blueprint bp, WeightSource weights, Path tokenizerFolder, LoadOptions options) {
        Device device = device(options.device());
        TextTokenizer tokenizer = null;
        String missing = null;
        try {
            if (tokenizerFolder != null && HfTokenizer.present(tokenizerFolder)) {
                tokenizer = HfTokenizer.load(tokenizerFolder, options.addBos());
            } else {
                missing = "no tokenizer.json in " + tokenizerFolder;
            }
            return new TransformerModel(id, bp, weights, tokenizer, missing, device);
        } catch (RuntimeException e) {
            weights.close();
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw e;
        }
    }

    private static boolean hasSafetensors(Path folder) {
        return Files.isRegularFile(folder.resolve(SafetensorsCheckpoint.SINGLE_FILE))
                || Files.isRegularFile(folder.resolve(SafetensorsCheckpoint.INDEX_FILE));
    }

    /**
     * Loads the embedded default model, all-MiniLM-L6-v2, from the Maven artifact on the classpath
     * (unpacked into the user's cache on first use; its weights are imported from the ONNX file).
     *
     * @param options load options
     * @return the model
     */
    public static Model loadEmbeddedMiniLm(LoadOptions options) {
        EmbeddedModel em = EmbeddedModels.miniLmFolder();
        HfConfig config = HfConfig.read(em.folder().resolve("config.json"));
        return assemble(em.id(), Families.describe(config), em.weights(), em.folder(), options);
    }

    private static WeightSource openWeights(Path file) {
        if (file.getFileName().toString().endsWith(".index.json")) {
            return SafetensorsCheckpoint.openIndex(file);
        }
        return SafetensorsCheckpoint.openFiles(file.toString(), List.of(file));
    }

    /**
     * @param spec {@code cpu}, {@code cuda}, {@code cuda:N}, {@code gpu} or {@code auto}
     * @return the device
     * @throws ConfigException when a GPU is requested and the engine finds none
     */
    public static Device device(String spec) {
        String s = spec == null ? "cpu" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        int gpus = s.equals("cpu") ? 0 : Engine.getEngine("PyTorch").getGpuCount();
        switch (s) {
            case "cpu":
                return Device.cpu();
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            default:
                if (s.equals("cuda") || s.equals("gpu") || s.startsWith("cuda:")) {
                    int idx = s.startsWith("cuda:") ? Integer.parseInt(s.substring(5)) : 0;
                    if (idx >= gpus) {
                        throw new ConfigException("device \"" + spec + "\" requested but the PyTorch engine sees "
                                + gpus + " CUDA device(s); this build bundles the CPU libtorch (see docs/gpu.md)");
                    }
                    return Device.gpu(idx);
                }
                throw new ConfigException("unknown device \"" + spec + "\"; use cpu, cuda, cuda:N or auto");
        }
    }
}
