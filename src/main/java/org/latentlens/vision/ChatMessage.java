package org.latentlens.vision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message of a chat, in the shape HuggingFace chat templates read: a role and a list of content parts,
 * each either an image (rendered by the template as the model's image placeholder) or a text.
 *
 * <pre>{@code
 * ChatMessage.user().image().text("Describe this image.").build();
 * }</pre>
 *
 * @param role "system", "user" or "assistant"
 * @param parts the content parts in order
 */
public record ChatMessage(String role, List<Part> parts) {
    /**
     * One content part.
     *
     * @param type "image" or "text"
     * @param text the text of a text part (null for an image)
     */
    public record Part(String type, String text) {
    }

    /**
     * @param role the role
     * @param parts the content parts (copied)
     */
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        parts = List.copyOf(parts);
    }

    /**
     * @param role the role
     * @param text a text-only message
     * @return the message
     */
    public static ChatMessage text(String role, String text) {
        return new ChatMessage(role, List.of(new Part("text", text)));
    }

    /** @return a builder for a user message */
    public static Builder user() {
        return new Builder("user");
    }

    /** @return the number of image parts */
    public int imageCount() {
        return (int) parts.stream().filter(p -> p.type().equals("image")).count();
    }

    /**
     * The message as the template sees it: {@code {"role": ..., "content": [{"type": "image"}, {"type": "text",
     * "text": ...}]}}, the list-of-parts layout of HuggingFace processors.
     *
     * @return a mutable map for the template engine
     */
    public Map<String, Object> toTemplateMap() {
        List<Map<String, Object>> content = new ArrayList<>();
        for (Part p : parts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", p.type());
            if (p.text() != null) {
                m.put("text", p.text());
            }
            content.add(m);
        }
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("role", role);
        msg.put("content", content);
        return msg;
    }

    /** Builds a message part by part. */
    public static final class Builder {
        private final String role;
        private final List<Part> parts = new ArrayList<>();

        private Builder(String role) {
            this.role = role;
        }

        /** @return this builder, with an image part appended */
        public Builder image() {
            parts.add(new Part("image", null));
            return this;
        }

        /**
         * @param text a text part
         * @return this builder
         */
        public Builder text(String text) {
            parts.add(new Part("text", Objects.requireNonNull(text, "text")));
            return this;
        }

        /** @return the message */
        public ChatMessage build() {
            return new ChatMessage(role, parts);
        }
    }
}
