package org.latentlens.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.model.TokenBatch;
import org.latentlens.tokenizer.HfTokenizer;
import org.latentlens.tokenizer.TextTokenizer;
import org.latentlens.vision.image.ImageLoader;
import org.latentlens.vision.image.ImageProcessor;
import org.latentlens.vision.image.ImageProcessors;
import org.latentlens.vision.image.PixelValues;
import org.latentlens.vision.image.RgbImage;

/**
 * Turns images and a prompt into a VLM's inputs, as HuggingFace's {@code LlavaProcessor} and
 * {@code Qwen2VLProcessor} do: optionally renders chat messages with the model's chat template, runs the
 * image processor, expands the k-th image placeholder of the batch to the k-th image's number of visual
 * tokens, tokenizes, and pads on the tokenizer's {@code padding_side}.
 *
 * <ul>
 *   <li>LLaVA: each {@code <image>} becomes {@code (H/patch) * (W/patch) + extra - drop} tokens, where
 *       {@code extra} is 1 for a CLIP tower (its CLS row) and 0 for SigLIP, and {@code drop} is 1 under
 *       {@code vision_feature_select_strategy = "default"}.</li>
 *   <li>Qwen2-VL / Qwen2.5-VL: each {@code <|image_pad|>} becomes {@code t * h * w / merge^2} tokens
 *       ({@code image_grid_thw} of that image).</li>
 * </ul>
 *
 * <pre>{@code
 * try (VlmProcessor p = VlmProcessor.load(modelDir)) {
 *     VlmInputs in = p.processChat(List.of(photo),
 *             List.of(List.of(ChatMessage.user().image().text("Describe this image.").build())));
 *     VlmOutput out = vlm.forward(in.toVlmInput(), ForwardOptions.allStates());
 * }
 * }</pre>
 */
public final class VlmProcessor implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final String modelType;
    private final TextTokenizer tokenizer;
    private final ImageProcessor imageProcessor;
    private final ChatTemplate chatTemplate;
    private final long imageTokenId;
    private final String imageToken;
    private final String imageBlock;
    private final boolean leftPad;
    private final Map<String, String> specialTokens;
    private final int patchSize;
    private final int extraTokens;
    private final int mergeSize;

    private VlmProcessor(Path folder, String modelType, TextTokenizer tokenizer, ImageProcessor imageProcessor,
                         ChatTemplate chatTemplate, long imageTokenId, String imageToken, String imageBlock, boolean leftPad,
                         Map<String, String> specialTokens, int patchSize, int extraTokens, int mergeSize) {
        this.folder = folder;
        this.modelType = modelType;
        this.tokenizer = tokenizer;
        this.imageProcessor = imageProcessor;
        this.chatTemplate = chatTemplate;
        this.imageTokenId = imageTokenId;
        this.imageToken = imageToken;
        this.imageBlock = imageBlock;
        this.leftPad = leftPad;
        this.specialTokens = specialTokens;
        this.patchSize = patchSize;
        this.extraTokens = extraTokens;
        this.mergeSize = mergeSize;
    }

    /**
     * Loads the processor of a VLM folder: {@code config.json}, {@code tokenizer.json} (+
     * {@code tokenizer_config.json}), {@code preprocessor_config.json} and the chat template if any.
     *
     * @param folder a LLaVA, Qwen2-VL or Qwen2.5-VL folder
     * @return the processor
     * @throws IOException when a file cannot be read
     * @throws ConfigException for a model type without a processor here, or a config missing a needed field
     */
    public static VlmProcessor load(Path folder) throws IOException {
        HfConfig config = HfConfig.read(folder.resolve("config.json"));
        JsonNode cj = config.json();
        String type = cj.path("model_type").asText("");
        if (!HfTokenizer.present(folder)) {
            throw new ConfigException(folder + " has no tokenizer.json: a VLM processor needs the model's tokenizer");
        }
        Map<Long, String> added = addedTokens(folder.resolve("tokenizer.json"));
        JsonNode tc = readJson(folder.resolve("tokenizer_config.json"));
        boolean leftPad = tc.path("padding_side").asText("right").equals("left");
        ImageProcessor ip = ImageProcessors.load(folder);
        long imageId;
        String block;
        int patch = 0;
        int extra = 0;
        int merge = 1;
        switch (type) {
            case "llava" -> {
                imageId = requireLong(cj, config, "image_token_index", "image_token_id");
                JsonNode vc = cj.path("vision_config");
                patch = vc.path("patch_size").asInt(0);
                if (patch <= 0) {
                    throw new ConfigException(config.source() + ": vision_config.patch_size is missing; it sets the "
                            + "number of visual tokens per image");
                }
                String tower = vc.path("model_type").asText("clip_vision_model");
                int cls = tower.startsWith("siglip") ? 0 : 1;
                JsonNode pc = readJson(folder.resolve("processor_config.json"));
                if (pc.has("num_additional_image_tokens")) {
                    cls = pc.get("num_additional_image_tokens").asInt();
                }
                String strategy = cj.path("vision_feature_select_strategy").asText("default");
                extra = cls - (strategy.equals("default") ? 1 : 0);
                block = null;
            }
            case "qwen2_vl", "qwen2_5_vl" -> {
                imageId = requireLong(cj, config, "image_token_id");
                merge = ip.config().mergeSize > 0 ? ip.config().mergeSize
                        : cj.path("vision_config").path("spatial_merge_size").asInt(2);
                block = null;
            }
            default -> throw new ConfigException(config.source() + ": no input processor for model_type \"" + type
                    + "\"; supported: llava, qwen2_vl, qwen2_5_vl");
        }
        String token = added.get(imageId);
        if (token == null) {
            throw new ConfigException(folder.resolve("tokenizer.json") + " has no added token with id " + imageId
                    + ", the image placeholder id of " + config.source());
        }
        if (type.equals("llava")) {
            block = token + "\n";
        } else {
            long start = requireLong(cj, config, "vision_start_token_id");
            long end = cj.path("vision_end_token_id").asLong(start + 1);
            block = Objects.requireNonNullElse(added.get(start), "") + token + Objects.requireNonNullElse(added.get(end), "");
        }
        TextTokenizer tok = HfTokenizer.load(folder, null);
        Map<String, String> specials = new HashMap<>();
        tok.bosTokenId().ifPresent(id -> specials.put("bos_token", added.getOrDefault(id, "")));
        tok.eosTokenId().ifPresent(id -> specials.put("eos_token", added.getOrDefault(id, "")));
        try {
            return new VlmProcessor(folder, type, tok, ip, ChatTemplate.find(folder).orElse(null), imageId, token, block,
                    leftPad, Map.copyOf(specials), patch, extra, merge);
        } catch (IOException | RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    /**
     * @param template a chat template to use instead of the folder's
     * @return a processor sharing this one's tokenizer (close only one of them)
     */
    public VlmProcessor withChatTemplate(ChatTemplate template) {
        return new VlmProcessor(folder, modelType, tokenizer, imageProcessor, template, imageTokenId, imageToken, imageBlock,
                leftPad, specialTokens, patchSize, extraTokens, mergeSize);
    }

    /** @return the chat template, if the folder has one (or one was given) */
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /** @return the image placeholder as it appears in a prompt ({@code <image>}, {@code <|image_pad|>}) */
    public String imageToken() {
        return imageToken;
    }

    /** @return the image placeholder id */
    public long imageTokenId() {
        return imageTokenId;
    }

    /** @return the tokenizer */
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** @return the image processor */
    public ImageProcessor imageProcessor() {
        return imageProcessor;
    }

    /**
     * Renders chat messages with the chat template.
     *
     * @param messages the chat
     * @param addGenerationPrompt whether to open the assistant's turn
     * @return the prompt (placeholders not yet expanded)
     * @throws IllegalStateException when the model has no chat template
     */
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        if (chatTemplate == null) {
            throw new IllegalStateException(folder + " has no chat template (chat_template.jinja, chat_template.json or "
                    + "tokenizer_config.json chat_template): pass the prompt text with " + imageToken
                    + " placeholders, or give a template with withChatTemplate(...)");
        }
        return chatTemplate.render(messages, addGenerationPrompt, specialTokens);
    }

    /**
     * The prompt the command line and notebooks use for one image and a question: the text itself when it
     * already holds the placeholder, else a user turn [image, text] through the chat template, else (no
     * template) the model's image block ({@code <image>\n} or {@code <|vision_start|><|image_pad|><|vision_end|>})
     * followed by the text.
     *
     * @param text the question or instruction
     * @return the prompt text
     */
    public String promptFor(String text) {
        if (text.contains(imageToken)) {
            return text;
        }
        if (chatTemplate != null) {
            return applyChatTemplate(List.of(ChatMessage.user().image().text(text).build()), true);
        }
        return imageBlock + text;
    }

    /**
     * Reads and processes images and one chat per batch row.
     *
     * @param images the images, in the order their placeholders appear over the batch
     * @param chats one chat per batch row
     * @return the inputs
     */
    public VlmInputs processChat(List<RgbImage> images, List<List<ChatMessage>> chats) {
        List<String> prompts = new ArrayList<>();
        for (List<ChatMessage> chat : chats) {
            prompts.add(applyChatTemplate(chat, true));
        }
        // HF processors add special tokens to a rendered chat unless it already starts with the BOS text
        String bos = specialTokens.get("bos_token");
        boolean addSpecial = bos == null || bos.isEmpty() || !prompts.get(0).startsWith(bos);
        return process(images, prompts, addSpecial);
    }

    /**
     * Processes one image and one prompt text (placeholders included, as {@link #promptFor} gives).
     *
     * @param image the image
     * @param text the prompt with one placeholder
     * @return the inputs
     */
    public VlmInputs process(RgbImage image, String text) {
        return process(List.of(image), List.of(text), true);
    }

    /**
     * Reads image files and processes them with one prompt.
     *
     * @param imageFiles PNG or JPEG files
     * @param text the prompt with one placeholder per image
     * @return the inputs
     * @throws IOException naming the file when an image cannot be read or decoded
     */
    public VlmInputs process(List<Path> imageFiles, String text) throws IOException {
        List<RgbImage> images = new ArrayList<>();
        for (Path f : imageFiles) {
            images.add(ImageLoader.read(f));
        }
        return process(images, List.of(text), true);
    }

    /**
     * Processes images and prompt texts, one text per batch row; the k-th placeholder of the batch (row by
     * row, left to right) takes the k-th image.
     *
     * @param images the images
     * @param texts the prompts, with the model's image placeholder where each image goes
     * @param addSpecialTokens whether the tokenizer adds its special tokens (BOS for LLaVA), as HF's processor
     *     does for plain text
     * @return the inputs
     * @throws IllegalArgumentException when the placeholder count differs from the number of images
     */
    public VlmInputs process(List<RgbImage> images, List<String> texts, boolean addSpecialTokens) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no prompt text given");
        }
        int placeholders = 0;
        for (String t : texts) {
            placeholders += count(t, imageToken);
        }
        if (placeholders != images.size()) {
            throw new IllegalArgumentException("the prompt" + (texts.size() > 1 ? "s hold " : " holds ") + placeholders
                    + " image placeholder(s) " + imageToken + " but " + images.size() + " image(s) were given: put one "
                    + imageToken + " where each image goes (or use a chat message with an image part)");
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no image given: a VLM prompt needs at least one image");
        }
        PixelValues pv = imageProcessor.preprocess(images);
        int n = images.size();
        int[] perImage = new int[n];
        int[] rows = new int[n];
        int[] cols = new int[n];
        for (int i = 0; i < n; i++) {
            if (pv.gridThw().isEmpty()) {
                int h = (int) pv.shape()[2] / patchSize;
                int w = (int) pv.shape()[3] / patchSize;
                rows[i] = h;
                cols[i] = w;
                perImage[i] = h * w + extraTokens;
            } else {
                int[] g = pv.gridThw().get(i);
                if (g[1] % mergeSize != 0 || g[2] % mergeSize != 0) {
                    throw new IllegalStateException("image " + i + " has patch grid " + Arrays.toString(g)
                            + ", not divisible by merge size " + mergeSize);
                }
                rows[i] = g[1] / mergeSize;
                cols[i] = g[2] / mergeSize;
                perImage[i] = g[0] * rows[i] * cols[i];
            }
        }
        List<long[]> seqs = new ArrayList<>();
        int k = 0;
        for (String t : texts) {
            StringBuilder sb = new StringBuilder();
            int from = 0;
            int at;
            int inRow = 0;
            while ((at = t.indexOf(imageToken, from)) >= 0) {
                sb.append(t, from, at).append(imageToken.repeat(perImage[k++]));
                from = at + imageToken.length();
                inRow++;
            }
            sb.append(t.substring(from));
            long[] ids = tokenizer.encode(sb.toString(), addSpecialTokens).ids();
            long have = Arrays.stream(ids).filter(id -> id == imageTokenId).count();
            int want = 0;
            for (int j = k - inRow; j < k; j++) {
                want += perImage[j];
            }
            if (have != want) {
                throw new IllegalStateException("prompt \"" + t + "\" tokenized to " + have + " image tokens (id "
                        + imageTokenId + ") instead of " + want + ": the tokenizer does not keep " + imageToken
                        + " as one special token");
            }
            seqs.add(ids);
        }
        TokenBatch batch = pad(seqs);
        long[][] mm = new long[batch.batchSize()][batch.seqLen()];
        for (int b = 0; b < mm.length; b++) {
            for (int c = 0; c < mm[b].length; c++) {
                mm[b][c] = batch.inputIds()[b][c] == imageTokenId && batch.attentionMask()[b][c] == 1 ? 1 : 0;
            }
        }
        return new VlmInputs(List.copyOf(texts), batch, pv, mm, perImage, rows, cols);
    }

    private TokenBatch pad(List<long[]> seqs) {
        int len = seqs.stream().mapToInt(s -> s.length).max().orElse(0);
        long[][] ids = new long[seqs.size()][len];
        long[][] mask = new long[seqs.size()][len];
        long padId = tokenizer.padTokenId();
        for (int b = 0; b < ids.length; b++) {
            long[] s = seqs.get(b);
            int off = leftPad ? len - s.length : 0;
            Arrays.fill(ids[b], padId);
            System.arraycopy(s, 0, ids[b], off, s.length);
            Arrays.fill(mask[b], off, off + s.length, 1L);
        }
        return new TokenBatch(ids, mask, null);
    }

    private static int count(String text, String token) {
        int n = 0;
        int from = 0;
        int at;
        while ((at = text.indexOf(token, from)) >= 0) {
            n++;
            from = at + token.length();
        }
        return n;
    }

    private static long requireLong(JsonNode cj, HfConfig config, String... names) {
        for (String n : names) {
            if (cj.has(n) && cj.get(n).canConvertToLong()) {
                return cj.get(n).asLong();
            }
        }
        throw new ConfigException(config.source() + ": missing " + String.join(" / ", names));
    }

    private static JsonNode readJson(Path f) throws IOException {
        return Files.isRegularFile(f) ? JSON.readTree(f.toFile()) : JSON.createObjectNode();
    }

    private static Map<Long, String> addedTokens(Path tokenizerJson) throws IOException {
        Map<Long, String> out = new HashMap<>();
        for (JsonNode a : JSON.readTree(tokenizerJson.toFile()).path("added_tokens")) {
            out.put(a.path("id").asLong(), a.path("content").asText());
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
