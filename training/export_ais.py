"""Export the instance decoder (AIS) to ONNX: instance_decoder.onnx.

  /usr/bin/python3 training/export_ais.py --checkpoint training/runs/ais-light/last.pt \
      --out training/runs/ais-light/instance_decoder.onnx

Contract (the Java side runs the seeded watershed on the outputs):
  inputs  image_embeddings float32 [1,256,64,64]  the encoder's output
          image            float32 [1,3,1024,1024] the encoder's input (normalised, zero-padded)
  outputs foreground, center_distance, boundary_distance: float32 [1,1,256,256], sigmoid applied,
          over the padded 1024 frame (cell (x, y) covers input pixels 4x..4x+3, 4y..4y+3).
Opset 17 as export.py. BatchNorm is folded into the convolutions (eval mode, constant folding).
"""
import argparse
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from sam_model.instance import InstanceDecoderOnnx, OUTPUTS, build_instance_decoder  # noqa: E402

OPSET = 17
INPUTS = ("image_embeddings", "image")


def load_instance_checkpoint(path):
    ck = torch.load(path, map_location="cpu")
    m = build_instance_decoder(ck["cfg"])
    m.load_state_dict(ck["model"])
    return m.eval()


def export_instance_decoder(dec, path, embed_chans=None, size=1024, check=True):
    dec = dec.eval()
    c = embed_chans or dec.cfg["embed_chans"]
    g = size // 16
    args = (torch.zeros(1, c, g, g), torch.zeros(1, 3, size, size))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with torch.no_grad():
        # the wrapper must be in eval mode too: export restores the wrapper's mode recursively,
        # which would leave `dec` in training mode (BatchNorm on batch statistics) afterwards
        torch.onnx.export(InstanceDecoderOnnx(dec).eval(), args, path, input_names=list(INPUTS),
                          output_names=list(OUTPUTS), opset_version=OPSET, do_constant_folding=True)
    if check:
        import onnx
        onnx.checker.check_model(onnx.load(path))
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default="")
    ap.add_argument("--random-weights", action="store_true")
    ap.add_argument("--out", required=True, help="path of instance_decoder.onnx")
    args = ap.parse_args()
    torch.set_num_threads(2)
    if args.checkpoint:
        dec = load_instance_checkpoint(args.checkpoint)
    elif args.random_weights:
        torch.manual_seed(0)
        dec = build_instance_decoder()
    else:
        ap.error("give --checkpoint or --random-weights")
    export_instance_decoder(dec, args.out)
    print(f"exported {args.out}: {os.path.getsize(args.out) / 1e6:.3f} MB")


if __name__ == "__main__":
    main()
