package org.latentlens.io.onnx;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentlens.io.DType;
import org.latentlens.io.MissingTensorException;
import org.latentlens.io.TensorFormatException;

/**
 * Imports a BERT-family encoder exported to ONNX by PyTorch (as the all-MiniLM-L6-v2 ONNX files of
 * sentence-transformers, Xenova and langchain4j are) into HuggingFace {@code BertModel} weight names and
 * layout, plus the {@code config.json} that describes it.
 *
 * <h2>How initializers are named</h2>
 * <ul>
 *   <li>An initializer already named like a {@code BertModel} weight ({@code embeddings.LayerNorm.weight},
 *       {@code encoder.layer.3.attention.self.query.bias}, optionally with a {@code bert.} prefix) keeps
 *       its name.</li>
 *   <li>Anonymous ones ({@code onnx::MatMul_787}: PyTorch's exporter folds the transposed Linear weight
 *       into a new constant) are named by the graph: the node that reads them carries the module path, so
 *       an initializer read as the second input of {@code /encoder/layer.0/attention/self/query/MatMul}
 *       is {@code encoder.layer.0.attention.self.query.weight}. Also understood: {@code Gemm} (weight and
 *       bias), {@code Add} (bias), {@code Mul}/{@code Add} inside a LayerNorm, {@code LayerNormalization},
 *       {@code Gather} (embeddings).</li>
 *   <li>A {@code MatMul} computes x·W with W stored [in, out]; {@code nn.Linear} keeps [out, in], so every
 *       weight read by a MatMul (or by a Gemm without {@code transB}) is transposed on the way out.</li>
 *   <li>{@code embeddings.position_ids} and {@code embeddings.token_type_ids} are buffers, not weights,
 *       and are left out, as are scalar and integer constants of the graph.</li>
 * </ul>
 * Any other floating-point initializer with more than one element is an error that names it, the node
 * reading it and the name that node would give.
 *
 * <h2>How the config is inferred</h2>
 * Sizes come from the weights' shapes (vocabulary, hidden, intermediate, positions, token types, layers).
 * The number of attention heads comes from the graph: the {@code Reshape} in each
 * {@code /encoder/layer.i/attention/self/} that splits heads has a shape [batch, seq, heads, head_size]
 * whose last two entries are constants. Failing that, the constant the attention scores are divided by is
 * sqrt(head_size). If neither is in the graph the import fails rather than guess. {@code layer_norm_eps}
 * is the constant added to the variance inside the decomposed LayerNorm (or a LayerNormalization node's
 * {@code epsilon}); without one, BertConfig's default 1e-12 is used. {@code hidden_act} is {@code gelu}
 * when the intermediate block computes erf (exact GELU), {@code gelu_new} for the tanh form,
 * {@code relu} for Relu.
 *
 * <pre>{@code
 * try (ImportedModel m = BertOnnxImporter.importModel(Path.of("model.onnx"))) {
 *     Files.writeString(dir.resolve("config.json"), m.configJson());
 *     ByteBuffer wq = m.weights().loadFloat32("encoder.layer.0.attention.self.query.weight", 384, 384);
 * }
 * }</pre>
 */
public final class BertOnnxImporter {

    private static final Pattern HF_NAME = Pattern.compile(
            "embeddings\\.(?:word_embeddings|position_embeddings|token_type_embeddings)\\.weight"
                    + "|embeddings\\.LayerNorm\\.(?:weight|bias)"
                    + "|encoder\\.layer\\.(\\d+)\\.(?:attention\\.self\\.(?:query|key|value)|attention\\.output\\.dense"
                    + "|attention\\.output\\.LayerNorm|intermediate\\.dense|output\\.dense|output\\.LayerNorm)"
                    + "\\.(?:weight|bias)"
                    + "|pooler\\.dense\\.(?:weight|bias)");

    /** Registered buffers that exporters keep as initializers; they are not weights. */
    private static final Set<String> BUFFERS = Set.of("embeddings.position_ids", "embeddings.token_type_ids");

    /** The embedding weights, in the order they are listed. */
    static final List<String> EMBEDDING_NAMES = List.of("embeddings.word_embeddings.weight",
            "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
            "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias");

    /** Every block's weights after {@code encoder.layer.{i}.}, in the order they are listed. */
    static final List<String> LAYER_SUFFIXES = List.of(
            "attention.self.query.weight", "attention.self.query.bias",
            "attention.self.key.weight", "attention.self.key.bias",
            "attention.self.value.weight", "attention.self.value.bias",
            "attention.output.dense.weight", "attention.output.dense.bias",
            "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
            "intermediate.dense.weight", "intermediate.dense.bias",
            "output.dense.weight", "output.dense.bias",
            "output.LayerNorm.weight", "output.LayerNorm.bias");

    /** The pooler's weights, present in BertModel exports with a pooler. */
    static final List<String> POOLER_NAMES = List.of("pooler.dense.weight", "pooler.dense.bias");

    /** BertConfig's default {@code layer_norm_eps}, used when the graph does not show one. */
    static final double DEFAULT_LAYER_NORM_EPS = 1e-12;

    private BertOnnxImporter() {
    }

    /**
     * Reads an ONNX file and imports it.
     *
     * @param onnxFile a PyTorch ONNX export of a BERT-family encoder
     * @return its weights under HuggingFace names and its synthesised config
     * @throws TensorFormatException naming the file and the initializer or node that could not be read or
     *                               mapped, and what was expected
     */
    public static ImportedModel importModel(Path onnxFile) {
        return importModel(OnnxReader.read(onnxFile));
    }

    /**
     * Imports a parsed ONNX model.
     *
     * @param model a PyTorch ONNX export of a BERT-family encoder
     * @return its weights under HuggingFace names and its synthesised config
     * @throws TensorFormatException naming the file and the initializer or node that could not be mapped,
     *                               and what was expected
     */
    public static ImportedModel importModel(OnnxModel model) {
        OnnxGraph g = model.graph();
        String src = model.source();
        Map<String, ImportedWeights.Mapping> mapped = new LinkedHashMap<>();
        for (OnnxTensor t : g.initializers().values()) {
            DType dt = t.dtype(); // unknown or unsupported element types fail here, naming the initializer
            String direct = stripPrefix(t.name());
            if (HF_NAME.matcher(direct).matches()) {
                put(mapped, direct, new ImportedWeights.Mapping(t, layoutOfNamedWeight(g, t, direct)), src);
                continue;
            }
            if (BUFFERS.contains(direct) || !isWeightLike(t, dt)) {
                continue; // a buffer or a graph constant (shapes, scales, epsilons)
            }
            List<String> tried = new ArrayList<>();
            boolean any = false;
            for (OnnxNode n : g.consumers(t.name())) {
                Optional<Candidate> c = candidate(n, n.inputs().indexOf(t.name()));
                if (c.isEmpty()) {
                    tried.add("node " + n.describe() + " (no weight role for input #" + n.inputs().indexOf(t.name()) + ")");
                } else if (!HF_NAME.matcher(c.get().name).matches()) {
                    tried.add("node " + n.describe() + " (would name it '" + c.get().name + "')");
                } else {
                    if (c.get().transpose) {
                        ImportedWeights.requireMatrix(t, c.get().name);
                    }
                    put(mapped, c.get().name, new ImportedWeights.Mapping(t, c.get().transpose), src);
                    any = true;
                }
            }
            if (!any) {
                throw new TensorFormatException("ONNX initializer '" + t.name() + "' (" + OnnxDataType.describe(
                        t.dataTypeCode()) + " " + Arrays.toString(t.dims()) + ") in " + src + " could not be mapped to"
                        + " a HuggingFace BertModel weight: " + (tried.isEmpty() ? "no node reads it" : "it is read by "
                        + String.join(", ", tried)) + ". Expected a BertModel name (for example"
                        + " encoder.layer.0.attention.self.query.weight) or an anonymous initializer read by a node"
                        + " named after its module, like /encoder/layer.0/attention/self/query/MatMul");
            }
        }
        int layers = countLayers(mapped.keySet(), src);
        Map<String, ImportedWeights.Mapping> ordered = order(mapped, layers, src);
        ObjectNode config = inferConfig(g, ordered, layers, src);
        return new ImportedModel(model, new ImportedWeights(src, ordered), config);
    }

    /** A name (and layout) that a node gives an anonymous initializer it reads. */
    private record Candidate(String name, boolean transpose) {
    }

    private static Optional<Candidate> candidate(OnnxNode n, int inputIndex) {
        String module = modulePath(n.name());
        if (module == null || !n.domain().isEmpty()) {
            return Optional.empty();
        }
        boolean inLayerNorm = module.endsWith("LayerNorm");
        switch (n.opType()) {
            case "MatMul":
                return inputIndex == 1 ? Optional.of(new Candidate(module + ".weight", true)) : Optional.empty();
            case "Gemm":
                if (inputIndex == 1) {
                    boolean transB = n.attribute("transB").map(a -> a.i() == 1).orElse(false);
                    return Optional.of(new Candidate(module + ".weight", !transB));
                }
                return inputIndex == 2 ? Optional.of(new Candidate(module + ".bias", false)) : Optional.empty();
            case "Add":
                return Optional.of(new Candidate(module + ".bias", false));
            case "Mul":
                return inLayerNorm ? Optional.of(new Candidate(module + ".weight", false)) : Optional.empty();
            case "LayerNormalization":
                return inputIndex == 1 ? Optional.of(new Candidate(module + ".weight", false))
                        : inputIndex == 2 ? Optional.of(new Candidate(module + ".bias", false)) : Optional.empty();
            case "Gather":
                return inputIndex == 0 ? Optional.of(new Candidate(module + ".weight", false)) : Optional.empty();
            default:
                return Optional.empty();
        }
    }

    /**
     * A weight that kept its HuggingFace name is in [out, in] unless a MatMul reads it directly (then the
     * exporter stored it [in, out]) or a Gemm reads it without {@code transB}.
     */
    private static boolean layoutOfNamedWeight(OnnxGraph g, OnnxTensor t, String hfName) {
        if (!hfName.endsWith(".weight") || hfName.startsWith("embeddings.") || hfName.contains("LayerNorm")) {
            return false;
        }
        for (OnnxNode n : g.consumers(t.name())) {
            int k = n.inputs().indexOf(t.name());
            if (n.opType().equals("MatMul") && k == 1) {
                ImportedWeights.requireMatrix(t, hfName);
                return true;
            }
            if (n.opType().equals("Gemm") && k == 1) {
                boolean transB = n.attribute("transB").map(a -> a.i() == 1).orElse(false);
                if (!transB) {
                    ImportedWeights.requireMatrix(t, hfName);
                }
                return !transB;
            }
        }
        return false;
    }

    /** {@code /encoder/layer.0/attention/self/query/MatMul} to {@code encoder.layer.0.attention.self.query}. */
    static String modulePath(String nodeName) {
        if (nodeName == null || !nodeName.startsWith("/")) {
            return null;
        }
        int lastSlash = nodeName.lastIndexOf('/');
        if (lastSlash <= 0) {
            return null;
        }
        return stripPrefix(nodeName.substring(1, lastSlash).replace('/', '.'));
    }

    private static String stripPrefix(String name) {
        return name.startsWith("bert.") ? name.substring("bert.".length()) : name;
    }

    private static boolean isWeightLike(OnnxTensor t, DType dt) {
        boolean floating = dt == DType.F32 || dt == DType.F16 || dt == DType.BF16 || dt == DType.F64;
        return floating && t.numElements() > 1;
    }

    private static void put(Map<String, ImportedWeights.Mapping> mapped, String name, ImportedWeights.Mapping m,
            String src) {
        ImportedWeights.Mapping old = mapped.get(name);
        if (old != null && !old.tensor().name().equals(m.tensor().name())) {
            throw new TensorFormatException("ONNX file " + src + ": both initializer '" + old.tensor().name()
                    + "' and initializer '" + m.tensor().name() + "' map to the BertModel weight '" + name
                    + "'; expected exactly one");
        }
        mapped.put(name, m);
    }

    private static int countLayers(Set<String> names, String src) {
        int max = -1;
        for (String n : names) {
            Matcher m = HF_NAME.matcher(n);
            if (m.matches() && m.group(1) != null) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        if (max < 0) {
            throw new MissingTensorException("ONNX file " + src + " has no encoder.layer.{i}.* weights: no initializer"
                    + " is named like one and no node named /encoder/layer.{i}/... reads one; is it a BERT export?");
        }
        return max + 1;
    }

    /** Lists the weights in canonical order and fails, naming what is missing, when any is absent. */
    private static Map<String, ImportedWeights.Mapping> order(Map<String, ImportedWeights.Mapping> mapped, int layers,
            String src) {
        List<String> expected = new ArrayList<>(EMBEDDING_NAMES);
        for (int i = 0; i < layers; i++) {
            for (String s : LAYER_SUFFIXES) {
                expected.add("encoder.layer." + i + "." + s);
            }
        }
        boolean pooler = mapped.containsKey(POOLER_NAMES.get(0)) || mapped.containsKey(POOLER_NAMES.get(1));
        if (pooler) {
            expected.addAll(POOLER_NAMES);
        }
        List<String> missing = expected.stream().filter(n -> !mapped.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new MissingTensorException("ONNX file " + src + " lacks " + missing.size() + " BertModel weight(s) of "
                    + layers + " layers, for example " + missing.stream().limit(6).toList() + ": expected each as an"
                    + " initializer of that name, or as an anonymous initializer read by the node named after its"
                    + " module (for a Linear weight: /encoder/layer.{i}/.../MatMul)");
        }
        Map<String, ImportedWeights.Mapping> ordered = new LinkedHashMap<>();
        for (String n : expected) {
            ordered.put(n, mapped.get(n));
        }
        return ordered;
    }

    private static ObjectNode inferConfig(OnnxGraph g, Map<String, ImportedWeights.Mapping> w, int layers,
            String src) {
        long[] word = w.get("embeddings.word_embeddings.weight").shape();
        if (word.length != 2) {
            throw new TensorFormatException("ONNX initializer '" + w.get("embeddings.word_embeddings.weight").tensor()
                    .name() + "' in " + src + " (embeddings.word_embeddings.weight) has shape " + Arrays.toString(word)
                    + "; expected [vocab_size, hidden_size]");
        }
        long vocab = word[0];
        long hidden = word[1];
        long positions = rows(w, "embeddings.position_embeddings.weight", src);
        long types = rows(w, "embeddings.token_type_embeddings.weight", src);
        long[] interBias = w.get("encoder.layer.0.intermediate.dense.bias").shape();
        if (interBias.length != 1) {
            throw new TensorFormatException("ONNX initializer '" + w.get("encoder.layer.0.intermediate.dense.bias")
                    .tensor().name() + "' in " + src + " (encoder.layer.0.intermediate.dense.bias) has shape "
                    + Arrays.toString(interBias) + "; expected [intermediate_size]");
        }
        long inter = interBias[0];
        for (Map.Entry<String, ImportedWeights.Mapping> e : w.entrySet()) {
            long[] want = expectedShape(e.getKey(), vocab, hidden, inter, positions, types);
            long[] got = e.getValue().shape();
            if (!Arrays.equals(want, got)) {
                throw new TensorFormatException("ONNX initializer '" + e.getValue().tensor().name() + "' in " + src
                        + " gives " + e.getKey() + " the shape " + Arrays.toString(got) + " but " + Arrays.toString(want)
                        + " was expected (hidden " + hidden + " and vocabulary " + vocab
                        + " from embeddings.word_embeddings.weight, intermediate " + inter
                        + " from encoder.layer.0.intermediate.dense.bias)");
            }
        }
        int heads = inferHeads(g, Math.toIntExact(hidden), src);
        double eps = inferLayerNormEps(g, src);
        String act = inferActivation(g, src);

        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.putArray("architectures").add("BertModel");
        c.put("model_type", "bert");
        c.put("vocab_size", vocab);
        c.put("hidden_size", hidden);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", heads);
        c.put("intermediate_size", inter);
        c.put("hidden_act", act);
        c.put("max_position_embeddings", positions);
        c.put("type_vocab_size", types);
        c.put("layer_norm_eps", eps);
        // Not in the ONNX graph; BertConfig's defaults, which BERT-family checkpoints keep.
        c.put("pad_token_id", 0);
        c.put("position_embedding_type", "absolute");
        c.put("hidden_dropout_prob", 0.1);
        c.put("attention_probs_dropout_prob", 0.1);
        c.put("initializer_range", 0.02);
        c.put("torch_dtype", "float32");
        return c;
    }

    private static long rows(Map<String, ImportedWeights.Mapping> w, String name, String src) {
        long[] s = w.get(name).shape();
        if (s.length != 2) {
            throw new TensorFormatException("ONNX initializer '" + w.get(name).tensor().name() + "' in " + src + " ("
                    + name + ") has shape " + Arrays.toString(s) + "; expected a 2-D embedding table");
        }
        return s[0];
    }

    private static long[] expectedShape(String name, long vocab, long hidden, long inter, long positions, long types) {
        if (name.equals("embeddings.word_embeddings.weight")) {
            return new long[] {vocab, hidden};
        }
        if (name.equals("embeddings.position_embeddings.weight")) {
            return new long[] {positions, hidden};
        }
        if (name.equals("embeddings.token_type_embeddings.weight")) {
            return new long[] {types, hidden};
        }
        if (name.contains("LayerNorm")) {
            return new long[] {hidden};
        }
        if (name.contains("intermediate.dense.")) {
            return name.endsWith(".weight") ? new long[] {inter, hidden} : new long[] {inter};
        }
        if (name.contains(".output.dense.") && !name.contains("attention")) {
            return name.endsWith(".weight") ? new long[] {hidden, inter} : new long[] {hidden};
        }
        // query, key, value, attention.output.dense, pooler.dense
        return name.endsWith(".weight") ? new long[] {hidden, hidden} : new long[] {hidden};
    }

    /**
     * Heads from the head-splitting Reshapes, else from the score scale sqrt(head_size); never a guess.
     */
    static int inferHeads(OnnxGraph g, int hidden, String src) {
        Set<Integer> fromReshape = new TreeSet<>();
        Set<Integer> fromScale = new TreeSet<>();
        for (OnnxNode n : g.nodes()) {
            if (!n.name().contains("/attention/self/")) {
                continue;
            }
            if (n.opType().equals("Reshape") && n.inputs().size() >= 2) {
                long[] tail = trailingConstants(g, n.inputs().get(1));
                if (tail.length >= 2) {
                    headsFrom(tail[tail.length - 2], tail[tail.length - 1], hidden).ifPresent(fromReshape::add);
                }
            } else if ((n.opType().equals("Div") || n.opType().equals("Mul")) && n.inputs().size() == 2
                    && g.producer(n.inputs().get(0)).map(p -> p.opType().equals("MatMul")).orElse(false)) {
                Optional<OnnxTensor> c = g.constant(n.inputs().get(1));
                if (c.isPresent() && c.get().numElements() == 1 && isFloating(c.get())) {
                    double s = c.get().toFloatArray()[0];
                    double headSize = n.opType().equals("Div") ? s * s : 1.0 / (s * s);
                    long d = Math.round(headSize);
                    if (d > 0 && Math.abs(headSize - d) < 1e-3 * d && hidden % d == 0) {
                        fromScale.add((int) (hidden / d));
                    }
                }
            }
        }
        if (fromReshape.size() > 1) {
            throw new TensorFormatException("ONNX file " + src + ": the attention Reshape nodes disagree on the number"
                    + " of heads: " + fromReshape + " (hidden size " + hidden + ")");
        }
        if (fromReshape.size() == 1) {
            return fromReshape.iterator().next();
        }
        if (fromScale.size() == 1) {
            return fromScale.iterator().next();
        }
        throw new TensorFormatException("ONNX file " + src + ": cannot tell the number of attention heads (hidden size "
                + hidden + "): no Reshape under /encoder/layer.{i}/attention/self/ has a constant [..., heads, head_size]"
                + " shape, and " + (fromScale.isEmpty() ? "no constant scales the attention scores"
                        : "the attention score scales disagree: " + fromScale));
    }

    private static OptionalInt headsFrom(long h, long d, int hidden) {
        if (h > 0 && d > 0 && h * d == hidden) {
            return OptionalInt.of((int) h);
        }
        if (h > 0 && d == -1 && hidden % h == 0) {
            return OptionalInt.of((int) h);
        }
        if (h == -1 && d > 0 && hidden % d == 0) {
            return OptionalInt.of((int) (hidden / d));
        }
        return OptionalInt.empty();
    }

    /**
     * The constant tail of a shape value: all of it when the shape is a constant, or the values of the
     * trailing constant inputs of the Concat that builds it (batch and sequence length come first, from
     * {@code Shape} at run time).
     */
    private static long[] trailingConstants(OnnxGraph g, String value) {
        Optional<OnnxTensor> c = g.constant(value);
        if (c.isPresent()) {
            return isInteger(c.get()) ? c.get().toLongArray() : new long[0];
        }
        Optional<OnnxNode> p = g.producer(value);
        if (p.isEmpty() || !p.get().opType().equals("Concat")) {
            return new long[0];
        }
        List<long[]> parts = new ArrayList<>();
        List<String> ins = p.get().inputs();
        for (int k = ins.size() - 1; k >= 0; k--) {
            Optional<OnnxTensor> part = g.constant(ins.get(k));
            if (part.isEmpty() || !isInteger(part.get())) {
                break;
            }
            parts.add(0, part.get().toLongArray());
        }
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static boolean isInteger(OnnxTensor t) {
        int c = t.dataTypeCode();
        return c == OnnxDataType.INT64.code() || c == OnnxDataType.INT32.code();
    }

    private static boolean isFloating(OnnxTensor t) {
        int c = t.dataTypeCode();
        return c == OnnxDataType.FLOAT.code() || c == OnnxDataType.DOUBLE.code() || c == OnnxDataType.FLOAT16.code();
    }

    /**
     * The epsilon of the LayerNorms: a LayerNormalization node's {@code epsilon}, or the scalar added to the
     * variance before the Sqrt in a decomposed LayerNorm. All LayerNorms must agree.
     */
    static double inferLayerNormEps(OnnxGraph g, String src) {
        Set<Double> found = new TreeSet<>();
        for (OnnxNode n : g.nodes()) {
            if (n.opType().equals("LayerNormalization")) {
                found.add(n.attribute("epsilon").map(a -> tidy(a.f())).orElse(1e-5)); // ONNX's default epsilon
            } else if (n.opType().equals("Sqrt") && n.name().contains("LayerNorm/")) {
                Optional<OnnxNode> add = g.producer(n.inputs().get(0)).filter(a -> a.opType().equals("Add"));
                if (add.isPresent()) {
                    for (String in : add.get().inputs()) {
                        Optional<OnnxTensor> c = g.constant(in);
                        if (c.isPresent() && c.get().numElements() == 1 && isFloating(c.get())) {
                            found.add(tidy(c.get().toFloatArray()[0]));
                        }
                    }
                }
            }
        }
        if (found.size() > 1) {
            throw new TensorFormatException("ONNX file " + src + ": the LayerNorms use different epsilons " + found
                    + "; BertConfig has one layer_norm_eps");
        }
        return found.isEmpty() ? DEFAULT_LAYER_NORM_EPS : found.iterator().next();
    }

    /** A float constant as the decimal it was written as: 1e-12f becomes 1e-12, not 9.999999960041972e-13. */
    private static double tidy(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    /** The activation of the intermediate (feed-forward) blocks, from the operators found there. */
    static String inferActivation(OnnxGraph g, String src) {
        Set<String> acts = new TreeSet<>();
        Set<String> ops = new TreeSet<>();
        for (OnnxNode n : g.nodes()) {
            if (!n.name().contains("/intermediate/") || n.name().contains("/dense/")) {
                continue;
            }
            ops.add(n.opType());
            switch (n.opType()) {
                case "Erf" -> acts.add("gelu");
                case "Gelu" -> acts.add(n.attribute("approximate").map(a -> "tanh".equals(a.s())).orElse(false)
                        ? "gelu_new" : "gelu");
                case "FastGelu", "Tanh" -> acts.add("gelu_new");
                case "Relu" -> acts.add("relu");
                default -> {
                }
            }
        }
        if (acts.size() != 1) {
            throw new TensorFormatException("ONNX file " + src + ": cannot tell hidden_act from the intermediate blocks"
                    + " (nodes named /encoder/layer.{i}/intermediate/...): found operators " + ops + "; expected Erf"
                    + " (gelu), Gelu, Tanh or FastGelu (gelu_new), or Relu, and only one kind");
        }
        return acts.iterator().next();
    }
}
