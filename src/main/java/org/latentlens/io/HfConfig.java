package org.latentlens.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A HuggingFace {@code config.json}, read with HuggingFace's defaults for missing keys and errors that
 * name the file and the key.
 *
 * <p>Both spellings are understood: transformers 4.x ({@code rope_theta}, {@code rope_scaling},
 * {@code rope_local_base_freq}) and 5.x ({@code rope_parameters}, possibly one entry per layer type).
 * For multimodal configs the language model's keys come from the nested {@code text_config}.
 */
public final class HfConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final JsonNode root;
    private final JsonNode text;

    private HfConfig(String source, JsonNode root) {
        this.source = source;
        this.root = root;
        JsonNode tc = root.get("text_config");
        this.text = tc != null && tc.isObject() ? merged(root, tc) : root;
    }

    /** A text_config inherits keys it lacks (for example {@code tie_word_embeddings}) from the top level. */
    private static JsonNode merged(JsonNode outer, JsonNode inner) {
        ObjectNode m = ((ObjectNode) inner).deepCopy();
        outer.fields().forEachRemaining(e -> {
            if (!m.has(e.getKey()) && !e.getKey().equals("text_config") && !e.getKey().equals("vision_config")) {
                m.set(e.getKey(), e.getValue());
            }
        });
        return m;
    }

    /**
     * Reads a config file.
     *
     * @param file a {@code config.json}
     * @return the config
     * @throws ConfigException if the file is missing or not a JSON object
     */
    public static HfConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("no config file at " + file + ": a HuggingFace model folder needs config.json");
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new ConfigException(file + " is not a JSON object");
            }
            return new HfConfig(file.toString(), n);
        } catch (IOException e) {
            throw new ConfigException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param json config text
     * @param source a name for messages
     * @return the config
     */
    public static HfConfig parse(String json, String source) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) {
                throw new ConfigException(source + " is not a JSON object");
            }
            return new HfConfig(source, n);
        } catch (IOException e) {
            throw new ConfigException("cannot parse " + source + ": " + e.getMessage(), e);
        }
    }

    /** @return where the config came from */
    public String source() {
        return source;
    }

    /** @return the top-level JSON */
    public JsonNode json() {
        return root;
    }

    /** @return the language model's keys: {@code text_config} merged over the top level, or the top level */
    public JsonNode textJson() {
        return text;
    }

    /** @return {@code model_type} of the language model (the text config's, if nested) */
    public String modelType() {
        JsonNode t = text.get("model_type");
        if (t == null || t.isNull()) {
            throw new ConfigException(source + " has no \"model_type\"");
        }
        return t.asText();
    }

    private JsonNode node(String... keys) {
        for (String k : keys) {
            JsonNode v = text.get(k);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    /**
     * @param keys the key and its aliases, first match wins (for example {@code hidden_size}, {@code n_embd})
     * @return the integer value
     * @throws ConfigException naming the file and key when absent or not an integer
     */
    public int requireInt(String... keys) {
        JsonNode v = node(keys);
        if (v == null) {
            throw new ConfigException(source + " is missing \"" + keys[0] + "\"");
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ConfigException(source + ": \"" + keys[0] + "\" must be an integer, got " + v);
        }
        return v.asInt();
    }

    /**
     * @param def the default when absent or null
     * @param keys the key and its aliases
     * @return the value
     */
    public int intOr(int def, String... keys) {
        JsonNode v = node(keys);
        if (v == null) {
            return def;
        }
        if (!v.isIntegralNumber()) {
            throw new ConfigException(source + ": \"" + keys[0] + "\" must be an integer, got " + v);
        }
        return v.asInt();
    }

    /**
     * @param keys the key and its aliases
     * @return the value, if present and not null
     */
    public Optional<Integer> optInt(String... keys) {
        JsonNode v = node(keys);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber()) {
            throw new ConfigException(source + ": \"" + keys[0] + "\" must be an integer, got " + v);
        }
        return Optional.of(v.asInt());
    }

    /**
     * @param def the default when absent or null
     * @param keys the key and its aliases
     * @return the value
     */
    public double doubleOr(double def, String... keys) {
        JsonNode v = node(keys);
        if (v == null) {
            return def;
        }
        if (!v.isNumber()) {
            throw new ConfigException(source + ": \"" + keys[0] + "\" must be a number, got " + v);
        }
        return v.asDouble();
    }

    /**
     * @param keys the key and its aliases
     * @return the value, if present and not null
     */
    public Optional<Double> optDouble(String... keys) {
        JsonNode v = node(keys);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isNumber()) {
            throw new ConfigException(source + ": \"" + keys[0] + "\" must be a number, got " + v);
        }
        return Optional.of(v.asDouble());
    }

    /**
     * @param def the default when absent or null
     * @param keys the key and its aliases
     * @return the value
     */
    public boolean boolOr(boolean def, String... keys) {
        JsonNode v = node(keys);
        if (v == null) {
            return def;
        }
        if (!v.isBoolean()) {
            throw new ConfigException(source + ": \"" + keys[0] + "\" must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    /**
     * @param def the default when absent or null
     * @param keys the key and its aliases
     * @return the value
     */
    public String stringOr(String def, String... keys) {
        JsonNode v = node(keys);
        return v == null ? def : v.asText();
    }

    /**
     * @param keys the key and its aliases
     * @return a list of strings, if present (for example {@code layer_types})
     */
    public Optional<List<String>> optStringList(String... keys) {
        JsonNode v = node(keys);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isArray()) {
            throw new ConfigException(source + ": \"" + keys[0] + "\" must be a list, got " + v);
        }
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(x.asText()));
        return Optional.of(out);
    }

    /**
     * {@code tie_word_embeddings}, which HuggingFace defaults to true when absent.
     *
     * @return whether the LM head shares the input embedding matrix
     */
    public boolean tieWordEmbeddings() {
        return boolOr(true, "tie_word_embeddings");
    }

    /**
     * The rotary-embedding parameters of one layer type, normalised across the 4.x and 5.x spellings.
     *
     * <p>5.x writes {@code rope_parameters}, either one map or one map per layer type
     * ({@code "full_attention"}, {@code "sliding_attention"}). 4.x writes {@code rope_theta} plus an optional
     * {@code rope_scaling} map, and for Gemma 3 {@code rope_local_base_freq} for the sliding layers, which
     * are not scaled.
     *
     * @param layerType the layer type ({@code "full_attention"} or {@code "sliding_attention"}), or null
     * @param defaultTheta the family's default base when the config names none
     * @return the parameters: {@code rope_type}, {@code rope_theta} and any scaling keys
     */
    public Map<String, Object> ropeParameters(String layerType, double defaultTheta) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode rp = node("rope_parameters");
        if (rp != null && rp.isObject()) {
            JsonNode chosen = rp;
            if (!rp.has("rope_type") && !rp.has("rope_theta")) {
                String key = layerType == null ? "full_attention" : layerType;
                chosen = rp.get(key);
                if (chosen == null) {
                    throw new ConfigException(source + ": \"rope_parameters\" has entries " + fieldNames(rp)
                            + " but none for layer type \"" + key + "\"");
                }
            }
            chosen.fields().forEachRemaining(e -> out.put(e.getKey(), jsonValue(e.getValue())));
            out.putIfAbsent("rope_type", "default");
            out.putIfAbsent("rope_theta", doubleOr(defaultTheta, "rope_theta"));
            return out;
        }
        boolean localLayer = "sliding_attention".equals(layerType) && node("rope_local_base_freq") != null;
        if (localLayer) {
            out.put("rope_type", "default");
            out.put("rope_theta", doubleOr(defaultTheta, "rope_local_base_freq"));
            return out;
        }
        JsonNode scaling = node("rope_scaling");
        if (scaling != null && scaling.isObject()) {
            scaling.fields().forEachRemaining(e -> out.put(e.getKey(), jsonValue(e.getValue())));
            if (!out.containsKey("rope_type") && out.containsKey("type")) {
                out.put("rope_type", out.get("type")); // very old configs spell it "type"
            }
        }
        out.putIfAbsent("rope_type", "default");
        out.put("rope_theta", doubleOr(defaultTheta, "rope_theta"));
        return out;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Object jsonValue(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.asText();
    }
}
