/**
 * Reading model weights from checkpoint files without Python, and without ever running
 * what a file says. {@link org.fijisam.checkpoint.Checkpoint#open} reads PyTorch's zip
 * format (torch.save since 1.6) through a restricted unpickler that knows only the opcodes
 * and globals of a state dict, and safetensors files; tensors are views
 * ({@link org.fijisam.checkpoint.TensorData}) into storages mapped from the file, read
 * as float32 only when asked, so a multi-GB checkpoint never sits on the heap.
 * Plain JDK: nothing here depends on ONNX Runtime, ImageJ or JSON libraries.
 */
package org.fijisam.checkpoint;
