package org.latentlens.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files of a repository to fetch: the rules for a model, for an index (the Python original's format and
 * ours), and shell-style globs for explicit requests. Pure functions over file lists, so they are the same
 * online (the model-info API's list) and offline (a cached snapshot's files).
 */
public final class FileSelection {
    /** Root-level files a model folder may need besides its weights: config, tokenizer, processor. */
    public static final List<String> MODEL_SIDE_FILES = List.of(
            "config.json", "generation_config.json",
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
            "tokenizer.model", "spiece.model", "sentencepiece.bpe.model", "vocab.json", "merges.txt", "vocab.txt",
            "preprocessor_config.json", "processor_config.json", "chat_template.json", "chat_template.jinja");
    /** The shard index of sharded safetensors weights. */
    public static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
    /** The manifest that marks our own index format at a repository's root. */
    public static final String OUR_INDEX_MANIFEST = "index.json";
    /** The Python original's optional index metadata ({@code {"layers": [...], "hidden_dim": D}}). */
    public static final String PYTHON_INDEX_METADATA = "metadata.json";

    private static final Pattern PY_LAYER_FILE = Pattern.compile("layer_(\\d+)/embeddings_cache\\.pt");
    private static final Pattern LAYER_IN_PATH = Pattern.compile("(?:^|/)layers?[_-]?(\\d+)(?=$|[/._-])");
    private static final Set<String> PICKLE_EXT = Set.of(".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle");
    private static final ObjectMapper JSON = new ObjectMapper();

    private FileSelection() {
    }

    /**
     * Whether a file holds pickled data that can run code when loaded ({@code .bin}, {@code .pt}, ...).
     *
     * @param path a file path
     * @return true for pickle-based formats
     */
    public static boolean isPickle(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        int dot = p.lastIndexOf('.');
        return dot >= 0 && PICKLE_EXT.contains(p.substring(dot));
    }

    /**
     * The model's side files (config, tokenizer, processor) that the repository has, at its root.
     *
     * @param files the repository's files
     * @return the subset to fetch
     */
    public static List<String> modelSideFiles(List<String> files) {
        List<String> out = new ArrayList<>();
        for (String f : MODEL_SIDE_FILES) {
            if (files.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The safetensors weights at the repository's root: the shard index if there is one (its shards are read
     * from it), else {@code model.safetensors}, else every root-level {@code *.safetensors}. Subfolders
     * ({@code original/}, {@code onnx/}) are other formats of the same weights and are ignored.
     *
     * @param files the repository's files
     * @return the weight files to fetch first (empty when the repository has no safetensors)
     */
    public static List<String> modelWeights(List<String> files) {
        if (files.contains(SAFETENSORS_INDEX)) {
            return List.of(SAFETENSORS_INDEX);
        }
        if (files.contains("model.safetensors")) {
            return List.of("model.safetensors");
        }
        List<String> out = new ArrayList<>();
        for (String f : files) {
            if (!f.contains("/") && f.endsWith(".safetensors")) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The shard files named by a {@code model.safetensors.index.json}'s {@code weight_map}, in order.
     *
     * @param indexFile the downloaded shard index
     * @return distinct shard file names
     * @throws IOException when the file is not a shard index
     */
    public static List<String> shardsOf(Path indexFile) throws IOException {
        JsonNode map = JSON.readTree(Files.readAllBytes(indexFile)).path("weight_map");
        if (!map.isObject() || map.size() == 0) {
            throw new HubException(HubException.Reason.BAD_REPO_CONTENT, indexFile.getFileName()
                    + " has no 'weight_map' object naming the safetensors shards");
        }
        TreeSet<String> shards = new TreeSet<>();
        map.fields().forEachRemaining(e -> shards.add(HubCache.validateFilename(e.getValue().asText())));
        return new ArrayList<>(shards);
    }

    /**
     * Whether the repository holds our own index format (an {@code index.json} manifest at its root).
     *
     * @param files the repository's files
     * @return true for our format
     */
    public static boolean isOurIndex(List<String> files) {
        return files.contains(OUR_INDEX_MANIFEST);
    }

    /**
     * Whether the repository holds the Python original's index format.
     *
     * @param files the repository's files
     * @return true when it has {@code metadata.json} or any {@code layer_N/embeddings_cache.pt}
     */
    public static boolean isPythonIndex(List<String> files) {
        return files.contains(PYTHON_INDEX_METADATA) || !pythonIndexLayers(files).isEmpty();
    }

    /**
     * The layers of a Python-format index found in a file list, as the original's fallback does
     * ({@code layer_N/embeddings_cache.pt}).
     *
     * @param files the repository's files
     * @return the layer numbers, ascending
     */
    public static List<Integer> pythonIndexLayers(List<String> files) {
        TreeSet<Integer> layers = new TreeSet<>();
        for (String f : files) {
            Matcher m = PY_LAYER_FILE.matcher(f);
            if (m.matches()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        return new ArrayList<>(layers);
    }

    /**
     * The path of a Python-format layer file.
     *
     * @param layer the layer
     * @return {@code layer_N/embeddings_cache.pt}
     */
    public static String pythonLayerFile(int layer) {
        return "layer_" + layer + "/embeddings_cache.pt";
    }

    /**
     * The layers a Python index's {@code metadata.json} lists ({@code layers}, or the paper pipeline's
     * {@code layers_extracted}).
     *
     * @param metadata the downloaded file
     * @return the layers, or empty when the file names none (then the file list decides)
     * @throws IOException when the file is not JSON
     */
    public static List<Integer> layersFromMetadata(Path metadata) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(metadata));
        } catch (IOException e) {
            throw new HubException(HubException.Reason.BAD_REPO_CONTENT, metadata + " is not valid JSON: "
                    + e.getMessage(), e);
        }
        JsonNode arr = root.path("layers");
        if (!arr.isArray()) {
            arr = root.path("layers_extracted");
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (JsonNode n : arr) {
            if (n.canConvertToInt()) {
                out.add(n.asInt());
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * The layer a file of our index format belongs to, read from its path: a segment or file name
     * {@code layer_N}, {@code layer-N} or {@code layerN} (e.g. {@code layer_3/rows.f16}, {@code layers/layer_3.f16}).
     *
     * @param path a file path
     * @return the layer, or -1 for a file shared by all layers
     */
    public static int layerOf(String path) {
        Matcher m = LAYER_IN_PATH.matcher(path);
        int found = -1;
        while (m.find()) {
            found = Integer.parseInt(m.group(1));
        }
        return found;
    }

    /**
     * The files of our index format to fetch when its manifest does not list them: every shared file (not
     * READMEs, git attributes or an unfinished {@code .build/}) and the files of the requested layers.
     *
     * @param files the repository's files
     * @param layers the wanted layers, or null for all
     * @return the files
     */
    public static List<String> ourIndexFiles(List<String> files, int[] layers) {
        Set<Integer> wanted = new TreeSet<>();
        if (layers != null) {
            for (int l : layers) {
                wanted.add(l);
            }
        }
        List<String> out = new ArrayList<>();
        for (String f : files) {
            if (f.equals(".gitattributes") || f.toLowerCase(Locale.ROOT).endsWith(".md") || f.startsWith(".build/")) {
                continue;
            }
            int l = layerOf(f);
            if (l < 0 || layers == null || wanted.contains(l)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The files our index format needs for some layers, read from its {@code index.json} manifest (see
     * {@code docs/index-format.md}): the manifest itself, the live data folder's {@code sentences} and
     * {@code tokenStrings} files, and each requested layer's {@code vectors} and {@code rowTable}. Older data
     * generations and files of other layers are left out.
     *
     * @param manifest the downloaded {@code index.json}
     * @param layers the wanted layers, or null for all
     * @return the files to fetch, or null when the manifest does not have that shape (then
     *     {@link #ourIndexFiles(List, int[])} decides from the file list)
     * @throws IOException when the manifest is not JSON, or a requested layer is not in it
     */
    public static List<String> ourIndexFilesFromManifest(Path manifest, int[] layers) throws IOException {
        JsonNode m;
        try {
            m = JSON.readTree(Files.readAllBytes(manifest));
        } catch (IOException e) {
            throw new HubException(HubException.Reason.BAD_REPO_CONTENT, OUR_INDEX_MANIFEST + " is not valid JSON: "
                    + e.getMessage(), e);
        }
        String dataDir = m.path("dataDir").asText(null);
        JsonNode layerList = m.path("layers");
        if (dataDir == null || !layerList.isArray() || layerList.size() == 0 || !layerList.get(0).isObject()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        out.add(OUR_INDEX_MANIFEST);
        for (String shared : new String[] {"sentences", "tokenStrings"}) {
            String f = m.path(shared).path("file").asText(null);
            if (f != null) {
                out.add(HubCache.validateFilename(dataDir + "/" + f));
            }
        }
        List<Integer> available = new ArrayList<>();
        Set<Integer> wanted = new TreeSet<>();
        if (layers != null) {
            for (int l : layers) {
                wanted.add(l);
            }
        }
        for (JsonNode ln : layerList) {
            int layer = ln.path("layer").asInt(Integer.MIN_VALUE);
            available.add(layer);
            if (layers == null || wanted.contains(layer)) {
                for (String key : new String[] {"vectors", "rowTable"}) {
                    String f = ln.path(key).asText(null);
                    if (f != null) {
                        String path = HubCache.validateFilename(dataDir + "/" + f);
                        if (!out.contains(path)) {
                            out.add(path);
                        }
                    }
                }
            }
        }
        wanted.removeAll(available);
        if (!wanted.isEmpty()) {
            throw new HubException(HubException.Reason.FILE_NOT_FOUND, "Layer" + (wanted.size() > 1 ? "s " : " ")
                    + wanted + " not in this index; available layers: " + available);
        }
        return out;
    }

    /**
     * The layers present in our index format's file list.
     *
     * @param files the repository's files
     * @return the layer numbers, ascending
     */
    public static List<Integer> ourIndexLayers(List<String> files) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String f : files) {
            int l = layerOf(f);
            if (l >= 0) {
                out.add(l);
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * A predicate matching file paths against shell-style globs as huggingface_hub's {@code allow_patterns}
     * (Python {@code fnmatch}): {@code *} and {@code ?} also match '/', {@code [abc]} is a class, and a pattern
     * ending in '/' matches everything below that folder.
     *
     * @param globs the patterns
     * @return a predicate true when any pattern matches
     */
    public static Predicate<String> globs(List<String> globs) {
        List<Pattern> ps = new ArrayList<>();
        for (String g : globs) {
            ps.add(Pattern.compile(globToRegex(g.endsWith("/") ? g + "*" : g)));
        }
        return path -> ps.stream().anyMatch(p -> p.matcher(path).matches());
    }

    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                sb.append(".*");
            } else if (c == '?') {
                sb.append('.');
            } else if (c == '[') {
                int close = glob.indexOf(']', i + 2);
                if (close < 0) {
                    sb.append("\\[");
                } else {
                    String body = glob.substring(i + 1, close);
                    if (body.startsWith("!")) {
                        body = "^" + body.substring(1);
                    }
                    sb.append('[').append(body.replace("\\", "\\\\")).append(']');
                    i = close;
                }
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }
}
