package org.latentlens.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.latentlens.io.ConfigException;

/**
 * A HuggingFace {@code tokenizer.json} run by DJL's native tokenizers, with the checkpoint's
 * special-token policy from {@code tokenizer_config.json}.
 *
 * <p>Policy: the tokenizer.json's post-processor decides which special tokens are added, as in
 * HuggingFace's fast tokenizers; an explicit {@code add_bos_token} in tokenizer_config.json (or in
 * {@link #load(Path, Boolean)}) overrides it, prepending or removing the BOS token. Nothing is ever
 * truncated: DJL's default truncation at 512 tokens is switched off, and a {@code model_max_length}
 * of 1e30 (HuggingFace's "no limit") is accepted.
 */
public final class HfTokenizer implements TextTokenizer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final Path folder;
    private final OptionalLong bos;
    private final OptionalLong eos;
    private final long pad;
    private final Boolean addBos;
    private final Set<Long> specialIds;
    private final int vocabSize;
    private final long modelMaxLength;
    private final Map<Long, String> tokenStrings = new ConcurrentHashMap<>();

    private HfTokenizer(HuggingFaceTokenizer tokenizer, Path folder, OptionalLong bos, OptionalLong eos, long pad,
                        Boolean addBos, Set<Long> specialIds, int vocabSize, long modelMaxLength) {
        this.tokenizer = tokenizer;
        this.folder = folder;
        this.bos = bos;
        this.eos = eos;
        this.pad = pad;
        this.addBos = addBos;
        this.specialIds = specialIds;
        this.vocabSize = vocabSize;
        this.modelMaxLength = modelMaxLength;
    }

    /**
     * @param folder a folder with {@code tokenizer.json}
     * @return whether the folder has tokenizer files
     */
    public static boolean present(Path folder) {
        return Files.isRegularFile(folder.resolve("tokenizer.json"));
    }

    /**
     * Loads {@code tokenizer.json} and, when present, {@code tokenizer_config.json} from a folder.
     *
     * @param folder a model folder
     * @param addBosOverride force adding (true) or not adding (false) the BOS token; null for the checkpoint's policy
     * @return the tokenizer
     * @throws ConfigException if the files are missing or malformed, naming the file
     */
    public static HfTokenizer load(Path folder, Boolean addBosOverride) {
        Path tj = folder.resolve("tokenizer.json");
        if (!Files.isRegularFile(tj)) {
            throw new ConfigException("no tokenizer.json in " + folder);
        }
        JsonNode tok;
        try {
            tok = JSON.readTree(tj.toFile());
        } catch (IOException e) {
            throw new ConfigException("cannot parse " + tj + ": " + e.getMessage(), e);
        }
        Map<String, Long> ids = new HashMap<>();
        Set<Long> special = new HashSet<>();
        long maxId = -1;
        JsonNode vocab = tok.path("model").path("vocab");
        if (vocab.isObject()) {
            for (var it = vocab.fields(); it.hasNext(); ) {
                var e = it.next();
                ids.put(e.getKey(), e.getValue().asLong());
                maxId = Math.max(maxId, e.getValue().asLong());
            }
        } else if (vocab.isArray()) { // Unigram: [[piece, score], ...]
            for (int i = 0; i < vocab.size(); i++) {
                ids.putIfAbsent(vocab.get(i).get(0).asText(), (long) i);
            }
            maxId = vocab.size() - 1;
        }
        for (JsonNode a : tok.path("added_tokens")) {
            long id = a.path("id").asLong();
            ids.put(a.path("content").asText(), id);
            maxId = Math.max(maxId, id);
            if (a.path("special").asBoolean(false)) {
                special.add(id);
            }
        }
        JsonNode cfg = null;
        Path cj = folder.resolve("tokenizer_config.json");
        if (Files.isRegularFile(cj)) {
            try {
                cfg = JSON.readTree(cj.toFile());
            } catch (IOException e) {
                throw new ConfigException("cannot parse " + cj + ": " + e.getMessage(), e);
            }
            for (var it = cfg.path("added_tokens_decoder").fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getValue().path("special").asBoolean(false)) {
                    special.add(Long.parseLong(e.getKey()));
                }
            }
        }
        OptionalLong bos = specialId(cfg, "bos_token", ids, cj);
        OptionalLong eos = specialId(cfg, "eos_token", ids, cj);
        OptionalLong padId = specialId(cfg, "pad_token", ids, cj);
        OptionalLong unk = specialId(cfg, "unk_token", ids, cj);
        for (OptionalLong o : new OptionalLong[] {bos, eos, padId, unk}) {
            o.ifPresent(special::add);
        }
        long pad = padId.isPresent() ? padId.getAsLong() : eos.isPresent() ? eos.getAsLong() : 0;
        Boolean addBos = addBosOverride;
        if (addBos == null && cfg != null && cfg.has("add_bos_token") && cfg.get("add_bos_token").isBoolean()) {
            addBos = cfg.get("add_bos_token").asBoolean();
        }
        long maxLen = Long.MAX_VALUE;
        if (cfg != null && cfg.path("model_max_length").isNumber()) {
            double d = cfg.get("model_max_length").asDouble();
            maxLen = d >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) d; // 1e30 means "no limit"
        }
        Map<String, String> opts = new HashMap<>();
        opts.put("truncation", "false");
        opts.put("padding", "false");
        HuggingFaceTokenizer hf;
        try (InputStream in = Files.newInputStream(tj)) {
            // from the stream, so DJL does not parse tokenizer_config.json itself (it fails on model_max_length 1e30)
            hf = HuggingFaceTokenizer.newInstance(in, opts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + tj + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ConfigException("the native tokenizer rejected " + tj + ": " + e.getMessage(), e);
        }
        return new HfTokenizer(hf, folder, bos, eos, pad, addBos, Set.copyOf(special), (int) (maxId + 1), maxLen);
    }

    private static OptionalLong specialId(JsonNode cfg, String key, Map<String, Long> ids, Path cfgFile) {
        if (cfg == null || !cfg.has(key) || cfg.get(key).isNull()) {
            return OptionalLong.empty();
        }
        JsonNode v = cfg.get(key);
        String content = v.isObject() ? v.path("content").asText() : v.asText();
        Long id = ids.get(content);
        if (id == null) {
            throw new ConfigException(cfgFile + ": " + key + " \"" + content + "\" is not in the tokenizer's vocabulary");
        }
        return OptionalLong.of(id);
    }

    @Override
    public Encoding encode(String text) {
        return encode(text, true);
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        if (text == null) {
            throw new IllegalArgumentException("text is null");
        }
        ai.djl.huggingface.tokenizers.Encoding e = tokenizer.encode(text, addSpecialTokens, false);
        long[] ids = e.getIds();
        String[] toks = e.getTokens();
        long[] specialMask = e.getSpecialTokenMask();
        CharSpan[] spans = e.getCharTokenSpans();
        int n = ids.length;
        int[] cpToChar = codePointToCharIndex(text);
        int[] start = new int[n];
        int[] end = new int[n];
        boolean[] special = new boolean[n];
        for (int i = 0; i < n; i++) {
            CharSpan s = spans[i];
            if (s == null) {
                start[i] = end[i] = -1;
            } else {
                // DJL reports offsets in code points; Java strings index UTF-16 chars
                start[i] = cpToChar[Math.min(s.getStart(), cpToChar.length - 1)];
                end[i] = cpToChar[Math.min(s.getEnd(), cpToChar.length - 1)];
            }
            special[i] = specialMask[i] == 1 || specialIds.contains(ids[i]);
        }
        Encoding enc = new Encoding(ids, toks, special, start, end);
        if (addSpecialTokens && addBos != null && bos.isPresent()) {
            boolean hasBos = n > 0 && ids[0] == bos.getAsLong() && special[0];
            if (addBos && !hasBos) {
                enc = prepend(enc, bos.getAsLong(), "<bos>");
            } else if (!addBos && hasBos) {
                enc = dropFirst(enc);
            }
        }
        return enc;
    }

    private Encoding prepend(Encoding e, long id, String fallbackToken) {
        int n = e.length();
        long[] ids = new long[n + 1];
        String[] toks = new String[n + 1];
        boolean[] sp = new boolean[n + 1];
        int[] s = new int[n + 1];
        int[] en = new int[n + 1];
        ids[0] = id;
        toks[0] = tokenString(id);
        if (toks[0].isEmpty()) {
            toks[0] = fallbackToken;
        }
        sp[0] = true;
        s[0] = en[0] = -1;
        System.arraycopy(e.ids(), 0, ids, 1, n);
        System.arraycopy(e.tokens(), 0, toks, 1, n);
        System.arraycopy(e.special(), 0, sp, 1, n);
        System.arraycopy(e.charStart(), 0, s, 1, n);
        System.arraycopy(e.charEnd(), 0, en, 1, n);
        return new Encoding(ids, toks, sp, s, en);
    }

    private static Encoding dropFirst(Encoding e) {
        int n = e.length() - 1;
        return new Encoding(java.util.Arrays.copyOfRange(e.ids(), 1, n + 1),
                java.util.Arrays.copyOfRange(e.tokens(), 1, n + 1), java.util.Arrays.copyOfRange(e.special(), 1, n + 1),
                java.util.Arrays.copyOfRange(e.charStart(), 1, n + 1), java.util.Arrays.copyOfRange(e.charEnd(), 1, n + 1));
    }

    private static int[] codePointToCharIndex(String text) {
        int cps = text.codePointCount(0, text.length());
        int[] map = new int[cps + 1];
        int ci = 0;
        for (int cp = 0; cp < cps; cp++) {
            map[cp] = ci;
            ci += Character.charCount(text.codePointAt(ci));
        }
        map[cps] = text.length();
        return map;
    }

    @Override
    public String decode(long... ids) {
        return tokenizer.decode(ids, false);
    }

    @Override
    public String tokenString(long id) {
        return tokenStrings.computeIfAbsent(id, i -> tokenizer.decode(new long[] {i}, false));
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public OptionalLong bosTokenId() {
        return bos;
    }

    @Override
    public OptionalLong eosTokenId() {
        return eos;
    }

    @Override
    public long padTokenId() {
        return pad;
    }

    @Override
    public boolean isSpecial(long id) {
        return specialIds.contains(id);
    }

    /** @return {@code model_max_length} from tokenizer_config.json, {@link Long#MAX_VALUE} when unlimited or absent */
    public long modelMaxLength() {
        return modelMaxLength;
    }

    /** @return the folder the tokenizer was loaded from */
    public Path folder() {
        return folder;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
