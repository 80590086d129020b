/**
 * Corpora for building contextual indices: readers for text, CSV and in-memory sources ({@link
 * org.latentlens.corpus.Corpus}), and the bundled {@code concepts.txt} with the generator that makes it from
 * WordNet 3.0 ({@link org.latentlens.corpus.ConceptGenerator} over {@link org.latentlens.corpus.WordNet}).
 *
 * @see org.latentlens.corpus.Corpus
 * @see org.latentlens.corpus.ConceptGenerator
 * @see org.latentlens.corpus.Inflections
 */
package org.latentlens.corpus;
