/**
 * Image input for vision models, in pure Java: PNG/JPEG decoding with Pillow's RGB conversion and EXIF
 * orientation, Pillow-exact and torchvision-exact resampling, and HuggingFace's image processors (CLIP,
 * SigLIP, DINOv2's Bit, Qwen2-VL and the LatentLens quickstart's path), bit-identical to HF's pixel values.
 *
 * <pre>{@code
 * RgbImage image = ImageLoader.read(Path.of("cat.jpg"));
 * ImageProcessor processor = ImageProcessors.load(modelDir);        // reads preprocessor_config.json
 * PixelValues pv = processor.preprocess(image);                     // data(), shape(), gridThw()
 * }</pre>
 *
 * @see org.latentlens.vision.image.ImageLoader
 * @see org.latentlens.vision.image.ImageProcessors
 * @see org.latentlens.vision.image.ResizeBackend
 * @see org.latentlens.vision.image.PilResampler
 */
package org.latentlens.vision.image;
