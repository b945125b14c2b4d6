/**
 * Converting official PyTorch checkpoints into runnable model folders, offline and without
 * Python: graph templates shipped in the jar (made by training/official_arch/templates.py
 * from the project's own implementation of each architecture) are filled with the
 * checkpoint's tensors, each checked by name and shape and streamed into the weights file
 * in the template's order. Plain Java over {@link org.fijisam.checkpoint}: nothing here runs
 * the model, so nothing here imports ONNX Runtime.
 */
package org.fijisam.convert;
