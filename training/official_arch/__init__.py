"""Our own implementations of the official architectures (parameter names and shapes of the
official checkpoints), used to generate the ONNX graph templates that the Java converter fills
with an official checkpoint's weights."""
