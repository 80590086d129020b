/**
 * ONNX files read without generated protobuf classes: {@link org.latentlens.io.onnx.OnnxReader} walks the wire
 * format, and {@link org.latentlens.io.onnx.BertOnnxImporter} turns a BERT-family export into HuggingFace
 * weight names, layout and {@code config.json}.
 *
 * @see org.latentlens.io.onnx.OnnxReader
 * @see org.latentlens.io.onnx.BertOnnxImporter
 * @see org.latentlens.io.onnx.ImportedWeights
 */
package org.latentlens.io.onnx;
