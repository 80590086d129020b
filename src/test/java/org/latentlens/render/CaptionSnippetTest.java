package org.latentlens.render;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule that finds a neighbour's token in its caption and cuts a window around it. */
class CaptionSnippetTest {
    @Test
    void marksTheOccurrenceNearestTheTokenPosition() {
        String caption = "the cat saw the dog and the bird";
        // pieces: the(1) cat(2) saw(3) the(4) dog(5) and(6) the(7) bird(8); position counts a BOS at 0
        assertEquals("the cat saw [[the]] dog and the bird", CaptionSnippet.of(caption, 4, " the", 200).toText());
        assertEquals("the cat saw the dog and [[the]] bird", CaptionSnippet.of(caption, 7, " the", 200).toText());
        assertEquals("[[the]] cat saw the dog and the bird", CaptionSnippet.of(caption, 1, "the", 200).toText());
    }

    @Test
    void fallsBackToIgnoringCaseAndStripsSubwordMarkers() {
        assertEquals("[[The]] end", CaptionSnippet.of("The end", 1, "the", 80).toText());
        assertEquals("play[[ing]] now", CaptionSnippet.of("playing now", 1, "##ing", 80).toText());
        assertEquals("a [[cat]]", CaptionSnippet.of("a cat", 2, "\u0120cat", 80).toText());
    }

    @Test
    void truncatesAroundTheMarkWithEllipses() {
        String caption = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";
        CaptionSnippet s = CaptionSnippet.of(caption, 8, " eight", 30);
        String text = s.toText();
        assertEquals("eight", s.mark());
        assertTrue(text.startsWith("\u2026") && text.endsWith("\u2026"), text);
        assertTrue(text.length() <= 30 + 6, text);
    }

    @Test
    void tokenNotInCaptionMarksNothingButKeepsAWindow() {
        CaptionSnippet s = CaptionSnippet.of("short caption", 1, "\u00e9t\u00e9", 80);
        assertEquals("", s.mark());
        assertEquals("short caption", s.toText());
    }

    @Test
    void htmlEscapesCaptionAndMark() {
        String html = CaptionSnippet.of("if a<b & c", 3, "b", 80).toHtml();
        assertEquals("if a&lt;<mark>b</mark> &amp; c", html);
    }
}
