package org.latentlens.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.TagNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A HuggingFace chat template (Jinja) and its renderer (Jinjava). Templates are found where HuggingFace
 * looks for them: {@code chat_template.jinja}, {@code chat_template.json} (processor templates), then
 * {@code tokenizer_config.json}'s {@code chat_template} (a string, or a list of named templates of which
 * "default" is used).
 *
 * <p>Jinjava is not Python Jinja: HF templates call a few Python string methods and a custom
 * {@code {% generation %}} tag, which are provided here ({@code raise_exception}, the tag renders its
 * body). Rendering fails loudly on any template error rather than returning a partial prompt.
 */
public final class ChatTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final String template;

    /**
     * @param source where the template came from (for messages)
     * @param template the Jinja text
     */
    public ChatTemplate(String source, String template) {
        this.source = source;
        this.template = template;
    }

    /**
     * @param folder a model folder
     * @return its chat template, if it has one
     * @throws IOException when a template file exists but cannot be read
     */
    public static Optional<ChatTemplate> find(Path folder) throws IOException {
        Path jinja = folder.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            return Optional.of(new ChatTemplate(jinja.toString(), Files.readString(jinja)));
        }
        for (String name : List.of("chat_template.json", "tokenizer_config.json")) {
            Path f = folder.resolve(name);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            JsonNode t = JSON.readTree(f.toFile()).path("chat_template");
            if (t.isTextual()) {
                return Optional.of(new ChatTemplate(f + " chat_template", t.asText()));
            }
            if (t.isArray()) {
                for (JsonNode named : t) {
                    if (named.path("name").asText("").equals("default")) {
                        return Optional.of(new ChatTemplate(f + " chat_template[default]", named.path("template").asText()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** @return where the template came from */
    public String source() {
        return source;
    }

    /** @return the Jinja text */
    public String template() {
        return template;
    }

    /**
     * Renders a chat.
     *
     * @param messages the messages
     * @param addGenerationPrompt whether to end with the assistant's turn opener
     * @param specialTokens variables such as {@code bos_token} / {@code eos_token} the template may use
     * @return the prompt text
     * @throws IllegalArgumentException naming the template and the Jinja error when rendering fails
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, String> specialTokens) {
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(false)
                .withTrimBlocks(false).withLstripBlocks(false).build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerTag(new PassThroughTag("generation"));
        Map<String, Object> ctx = new HashMap<>(specialTokens);
        ctx.put("messages", messages.stream().map(ChatMessage::toTemplateMap).toList());
        ctx.put("add_generation_prompt", addGenerationPrompt);
        RenderResult r = jinjava.renderForResult(pythonMethodsAsFilters(template), ctx);
        List<TemplateError> fatal = r.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
        if (!fatal.isEmpty()) {
            for (Throwable t = fatal.get(0).getException(); t != null; t = t.getCause()) {
                if (t instanceof TemplateRaised raised) {
                    throw new IllegalArgumentException("chat template " + source + " rejected the messages: "
                            + raised.getMessage(), raised);
                }
            }
            throw new IllegalArgumentException("chat template " + source + " failed to render: "
                    + fatal.get(0).getMessage() + (fatal.get(0).getLineno() > 0 ? " (line " + fatal.get(0).getLineno() + ")" : ""));
        }
        return r.getOutput();
    }

    /**
     * Rewrites the Python string methods HF templates call ({@code x.upper()}, {@code .lower()},
     * {@code .strip()}, {@code .title()}) into the equivalent Jinja filters, since Jinjava resolves methods on
     * Java objects and {@code java.lang.String} has none of these.
     *
     * @param template the Jinja text
     * @return the text with those calls as filters
     */
    static String pythonMethodsAsFilters(String template) {
        return PY_METHOD.matcher(template).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                "(" + m.group(1) + "|" + switch (m.group(2)) {
                    case "strip" -> "trim";
                    case "title" -> "title";
                    default -> m.group(2);
                } + ")"));
    }

    private static final java.util.regex.Pattern PY_METHOD = java.util.regex.Pattern.compile(
            "([A-Za-z_][A-Za-z_0-9]*(?:\\[[^\\]]+\\]|\\.[A-Za-z_][A-Za-z_0-9]*)*)\\.(upper|lower|strip|title)\\(\\)");

    /**
     * The {@code raise_exception} function HF templates call on bad input.
     *
     * @param message the template's message
     * @return never
     */
    public static String raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** What {@code raise_exception} throws, recognised again after Jinjava wraps it. */
    private static final class TemplateRaised extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TemplateRaised(String message) {
            super(message);
        }
    }

    /** A block tag that renders its body unchanged ({@code {% generation %}} marks assistant text for masks). */
    private static final class PassThroughTag implements Tag {
        private final String name;

        PassThroughTag(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getEndTagName() {
            return "end" + name;
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder sb = new StringBuilder();
            for (var child : tagNode.getChildren()) {
                sb.append(child.render(interpreter).getValue());
            }
            return sb.toString();
        }
    }
}
