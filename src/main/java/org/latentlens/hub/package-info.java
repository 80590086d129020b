/**
 * HuggingFace Hub client: downloads models and indices into the huggingface_hub cache, shared with Python,
 * resumable, verified and safe under concurrency.
 *
 * <pre>{@code
 * try (HubClient hub = new HubClient()) {
 *     Path model = hub.modelFolder("Qwen/Qwen2.5-0.5B");                 // or a local path, returned as is
 *     Path index = hub.indexFolder("org/index@v1", new int[] {1, 31});
 * }
 * }</pre>
 *
 * @see org.latentlens.hub.HubClient
 * @see org.latentlens.hub.HubSettings
 * @see org.latentlens.hub.HubCache
 * @see org.latentlens.hub.FileSelection
 * @see org.latentlens.hub.HubException
 */
package org.latentlens.hub;
