/**
 * Contextual indices: storage, exact search, building and import of the original Python format.
 *
 * <p>An index holds, per model layer, unit-length rows (hidden states of tokens in context) and per-row
 * metadata. {@link org.latentlens.index.ContextualIndex} opens (memory-maps) and searches one;
 * {@link org.latentlens.index.IndexBuilder} builds one from a model and a corpus with
 * {@link org.latentlens.index.BuildOptions}; {@link org.latentlens.index.ContextualIndex#fromDirectory}
 * and {@link org.latentlens.index.ContextualIndex#importPython} read the Python library's
 * {@code layer_N/embeddings_cache.pt} files. Storage is separate from scoring: the search reads rows
 * through {@link org.latentlens.index.VectorStore}. The directory format (files, fields, versions,
 * checksums, atomic replacement, resume) is documented in {@code docs/index-format.md}.
 *
 * @see org.latentlens.index.ContextualIndex
 * @see org.latentlens.index.IndexBuilder
 * @see org.latentlens.index.VectorStore
 */
package org.latentlens.index;
