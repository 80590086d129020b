package org.latentlens.notebook;

import java.util.ArrayList;
import java.util.List;

/** Splits a magic's argument text into words the way a shell does: blanks separate, quotes group. */
final class MagicArgs {
    private MagicArgs() {
    }

    /**
     * @param text what follows the magic's name on its line
     * @return the words, quotes removed
     * @throws IllegalArgumentException when a quote is not closed
     */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed " + quote + " in magic arguments: " + text.strip());
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }
}
