package org.latentlens.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class TemplatesTest {

    private static Synset synset(PartOfSpeech pos, String definition) {
        return new Synset(pos, 1, 0, List.of(new Synset.Word("x", 0)), List.of(), definition, List.of());
    }

    @Test
    void definitionSentencePerPartOfSpeech() {
        assertEquals("A dog is a member of the genus Canis.",
                Templates.definition(synset(PartOfSpeech.NOUN, "a member of the genus Canis"), "dog"));
        assertEquals("An owl is a nocturnal bird of prey.",
                Templates.definition(synset(PartOfSpeech.NOUN, "a nocturnal bird of prey"), "owl"));
        assertEquals("The sun is the star that is the source of light and heat for the planets.",
                Templates.definition(synset(PartOfSpeech.NOUN,
                        "the star that is the source of light and heat for the planets"), "sun"));
        assertEquals("Excavation is the act of digging.",
                Templates.definition(synset(PartOfSpeech.NOUN, "the act of digging"), "excavation"));
        assertEquals("Diabetes is a polygenic disease.",
                Templates.definition(synset(PartOfSpeech.NOUN, "a polygenic disease"), "diabetes"));
        assertEquals("Pluralism is a social organization.",
                Templates.definition(synset(PartOfSpeech.NOUN, "a social organization"), "pluralism"));
        assertEquals("A law of diminishing returns is a law.",
                Templates.definition(synset(PartOfSpeech.NOUN, "a law"), "law of diminishing returns"));
        assertEquals("Water is binary compound that occurs at room temperature as a clear liquid.",
                Templates.definition(synset(PartOfSpeech.NOUN,
                        "binary compound that occurs at room temperature as a clear liquid"), "water"));
        assertEquals("Paris is the capital and largest city of France.",
                Templates.definition(synset(PartOfSpeech.NOUN, "the capital and largest city of France"), "Paris"));
        assertEquals("To run is to move fast by using one's feet.",
                Templates.definition(synset(PartOfSpeech.VERB, "move fast by using one's feet"), "run"));
        assertEquals("To run (of liquids) is to flow.",
                Templates.definition(synset(PartOfSpeech.VERB, "(of liquids) flow"), "run"));
        assertEquals("Strong means having strength or power greater than average or expected.",
                Templates.definition(synset(PartOfSpeech.ADJECTIVE_SATELLITE,
                        "having strength or power greater than average or expected"), "strong"));
        assertEquals("Quickly means with speed.", Templates.definition(synset(PartOfSpeech.ADVERB, "with speed"),
                "quickly"));
        assertNull(Templates.definition(synset(PartOfSpeech.NOUN, ""), "x"));
    }

    @Test
    void articlesAndFinishing() {
        assertEquals("an", Templates.indefiniteArticle("apple"));
        assertEquals("a", Templates.indefiniteArticle("unicorn"));
        assertEquals("an", Templates.indefiniteArticle("hour"));
        assertEquals("a", Templates.indefiniteArticle("dog"));
        assertEquals("He ran home.", Templates.finish("  he  ran\thome "));
        assertEquals("Is it?", Templates.finish("is it?"));
        assertEquals("\"Quoted\" text.", Templates.finish("\"Quoted\" text"));
        assertEquals("Other words for run are go and pass.", Templates.synonyms("run", List.of("go", "pass")));
        assertEquals("The children run to the playground.",
                Templates.frame("The children %s to the playground", "run"));
    }
}
