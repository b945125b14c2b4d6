"""Export a trained (or randomly initialised) model to ONNX + sam.json.

  # default model from a checkpoint, with the Java parity file
  /usr/bin/python3 training/export.py --checkpoint training/runs/light-60min/last.pt \
      --out src/main/resources/models/default \
      --parity src/test/resources/parity/default-model-parity.json
  # architecture twins with random weights (speed measurements only; never commit)
  /usr/bin/python3 training/export.py --arch vit_b --random-weights --out training/models-large/vit_b
  /usr/bin/python3 training/export.py --arch light --random-weights --out training/models-large/light

Files written to --out: encoder.onnx, decoder.onnx, decoder_batch.onnx, sam.json
(see docs/model-descriptor.md). Opset 17, every file passes onnx.checker.

Parity file format (JSON, <= 1 MB; Java regenerates the inputs and compares):
{
  "format": 1, "model": <sam.json "name">, "tolerance_hint": 1e-3,
  "encoder": {
     "input_formula": "image[c][y][x] = ((x*7 + y*13 + c*29) % 256 - 128) / 64.0",
     "shape": [1,3,1024,1024], "output_shape": [1,256,64,64],
     "indices": [flat indices into image_embeddings (row-major NCHW)], "values": [...] },
  "decoder_embedding_formula": "embedding[c][y][x] = ((x*5 + y*11 + c*3) % 97 - 48) / 48.0",
  "mask_input_formula": "mask[y][x] = ((x + 2*y) % 17 - 8) / 2.0 (for has_mask_input = 1, else all 0)",
  "decoder": [ {   # cases for decoder.onnx (batch 1)
      "point_coords": [[x, y], ...] (1024 frame), "point_labels": [...], "has_mask_input": 0 or 1,
      "orig_im_size": [H, W],
      "iou_predictions": [4 values], "low_res_indices": [flat indices into low_res_masks [1,4,256,256]],
      "low_res_values": [...] } , ...],
  "decoder_batch": {   # one case for decoder_batch.onnx
      "point_coords": [B][N][2], "point_labels": [B][N], "has_mask_input": [B],
      "iou_predictions": [B][4], "low_res_indices": [flat indices into [B,4,256,256]], "low_res_values": [...] }
}
The image embedding fed to the decoders is the formula above, NOT the encoder output.
"""
import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sam_model.common as common  # noqa: E402
from sam_model import build_sam, CONFIGS  # noqa: E402
from data import PIXEL_MEAN, PIXEL_STD  # noqa: E402

OPSET = 17


class ChannelsLastHead(nn.Module):
    """Exact, export-only replacement of the decoder's output head (two 2x2/stride-2 transposed
    convolutions with LayerNorm2d and GELU, then the hypernetwork product), computed on the
    image tokens [B, HW, C] in channels-last layout. Each transposed convolution becomes a
    matrix product into its 4 sub-pixels, the LayerNorm2d a LayerNormalization over the last
    axis, and the sub-pixels are put in place once, on the K final masks instead of on every
    feature channel. In ONNX Runtime this avoids DepthToSpace and NCHWc reorders on the
    largest tensors of the decoder, which dominated its run time."""

    def __init__(self, dec):
        super().__init__()
        up1, up2, ln = dec.up1, dec.up2, dec.up_norm
        dim, c1 = up1.weight.shape[:2]
        c2 = up2.weight.shape[1]
        self.c1, self.c2, self.eps = c1, c2, ln.eps
        # ConvTranspose2d weight [in, out, 2, 2] -> [in, (dy, dx, out)].
        self.register_buffer("w1", up1.weight.detach().permute(0, 2, 3, 1).reshape(dim, 4 * c1).clone())
        self.register_buffer("b1", up1.bias.detach().repeat(4).clone())
        self.register_buffer("w2", up2.weight.detach().permute(0, 2, 3, 1).reshape(c1, 4 * c2).clone())
        self.register_buffer("b2", up2.bias.detach().repeat(4).clone())
        self.register_buffer("ln_w", ln.weight.detach().clone())
        self.register_buffer("ln_b", ln.bias.detach().clone())

    def forward(self, img, hyp, h, w):
        """img [B, h*w, dim] (row-major pixels), hyp [B, K, c2] -> masks [B, K, 4h, 4w]."""
        b, k = hyp.shape[0], hyp.shape[1]
        y = (img @ self.w1 + self.b1).reshape(b, h * w, 4, self.c1)      # sub-pixel (dy, dx)
        y = F.gelu(F.layer_norm(y, (self.c1,), self.ln_w, self.ln_b, self.eps))
        z = F.gelu(y @ self.w2 + self.b2).reshape(b, h * w * 16, self.c2)  # (dy, dx, dY, dX)
        m = (z @ hyp.transpose(1, 2)).reshape(b, h, w, 2, 2, 2, 2, k)
        # row = 4y + 2dy + dY, column = 4x + 2dx + dX
        return m.permute(0, 7, 1, 3, 5, 2, 4, 6).reshape(b, k, 4 * h, 4 * w)


class ReassociatedAttention(nn.Module):
    """Export-only replacement of decoder.Attention (same function) for the cross-attentions
    between the few prompt tokens and the 64 x 64 image tokens, which dominate the batched
    decoder in ONNX Runtime. Two rewrites, both exact in real arithmetic:
    - heads are separated on the small token side: the token tensors become block-diagonal
      matrices (one block per head, zeros elsewhere), so no [B, 4096, C] tensor is transposed
      into [B, heads, 4096, C/heads] and the softmax runs on a free reshape;
    - products are reassociated so the image tokens meet the small token-side matrices once,
      instead of first being projected (q/k/v/o Linear layers on 4096 tokens per prompt).
      A key bias adds the same value to every score of a query (softmax ignores it), a value
      bias passes through unchanged (attention rows sum to 1), and the output bias is added to
      the small value matrix instead of to the [B, 4096, dim] result."""

    def __init__(self, att, image_queries):
        super().__init__()
        self.att = att
        self.image_queries = image_queries
        c = att.q.out_features
        d = c // att.h
        # head_of[g, j] = 1 where channel j belongs to head g
        self.register_buffer("head_of", (torch.arange(c) // d == torch.arange(att.h).unsqueeze(1)).float())
        self.scale = d ** -0.5

    def forward(self, q, k, v):
        a, m = self.att, self.head_of
        h, c = m.shape
        mask = m.view(1, h, 1, c)
        if self.image_queries:  # queries: image tokens (many); keys/values: prompt tokens (few)
            K, V = a.k(k), a.v(v)
            b, n = K.shape[:2]
            kbd = (K.unsqueeze(1) * mask).reshape(b, h * n, c)             # [B, h*n, C]
            vbd = (V.unsqueeze(1) * mask).reshape(b, h * n, c)
            wq = (kbd @ a.q.weight).transpose(1, 2) * self.scale            # [B, dim, h*n]
            bq = (kbd @ a.q.bias).unsqueeze(1) * self.scale                 # [B, 1, h*n]
            att = (q @ wq + bq).reshape(b, -1, h, n).softmax(-1).reshape(b, -1, h * n)
            # each row of att sums to h (one softmax per head): the output bias rides along
            return att @ (vbd @ a.o.weight.t() + a.o.bias / h)              # [B, Nq, dim]
        Q = a.q(q)  # queries: prompt tokens (few); keys/values: image tokens (many)
        b, nq = Q.shape[:2]
        qbd = (Q.unsqueeze(1) * mask).reshape(b, h * nq, c)                 # [B, h*nq, C]
        att = (((qbd @ a.k.weight) * self.scale) @ k.transpose(1, 2)).softmax(-1)  # [B, h*nq, Nk]
        out = (a.v(att @ v).reshape(b, h, nq, c) * mask).sum(1)             # [B, nq, C]
        return a.o(out)


class TokenLayoutDense(nn.Module):
    """Export-only, same function as PromptEncoder.dense_tokens: the last (1x1) convolution of
    the mask downscaler and the has_mask blend are computed in image-token layout, so only the
    16-channel hidden map is transposed, not the [B, dim, 64, 64] result (its NCHWc reorder and
    transpose, plus the blend, cost about a fifth of the batched decoder in ONNX Runtime)."""

    def __init__(self, prompt):
        super().__init__()
        self.convs = prompt.mask_down[:-1]  # 2x2/2 conv, LayerNorm2d, GELU, 2x2/2 conv, LayerNorm2d, GELU
        last = prompt.mask_down[-1]
        dim, hid = last.weight.shape[:2]
        self.register_buffer("w", last.weight.detach().reshape(dim, hid).t().clone())
        self.register_buffer("b", last.bias.detach().clone())
        self.register_buffer("no_mask", prompt.no_mask.detach().clone())

    def forward(self, mask_input, has_mask):
        # m * h + no_mask * (1 - h) with m = y w + b  ==  (h y) w + (h (b - no_mask) + no_mask):
        # h scales the 16-channel map, and one [B, 1, dim] bias is added to the result
        h = has_mask.view(-1, 1, 1)
        y = self.convs(mask_input).flatten(2).transpose(1, 2)  # [B, HW, hidden]
        return (h * y) @ self.w + (h * (self.b - self.no_mask) + self.no_mask)


def for_export(sam):
    """Deep copy of the model with export-friendly (mathematically identical) modules."""
    import copy
    sam = copy.deepcopy(sam).eval().cpu()
    d = sam.decoder
    up_ok = all(isinstance(getattr(d, n), nn.ConvTranspose2d) and getattr(d, n).kernel_size == (2, 2)
                and getattr(d, n).stride == (2, 2) for n in ("up1", "up2"))
    if up_ok and d.head_type == "sam":
        d.cl_head = ChannelsLastHead(d)
        d.head = d.cl_head.forward
    if getattr(sam.prompt.mask_down[-1], "kernel_size", None) == (1, 1):
        sam.prompt.tl_dense = TokenLayoutDense(sam.prompt)
        sam.prompt.dense_tokens = sam.prompt.tl_dense.forward
    for blk in d.blocks:
        blk.t2i = ReassociatedAttention(blk.t2i, image_queries=False)
        blk.i2t = ReassociatedAttention(blk.i2t, image_queries=True)
    d.final_attn = ReassociatedAttention(d.final_attn, image_queries=False)
    return sam


class EncoderOnnx(nn.Module):
    def __init__(self, sam):
        super().__init__()
        self.enc = sam.encoder

    def forward(self, image):
        return self.enc(image)


class DecoderOnnx(nn.Module):
    """Official SAM decoder interface (batch 1, orig_im_size, in-graph upsampled masks)."""

    def __init__(self, sam, with_orig=True):
        super().__init__()
        self.sam = sam
        self.with_orig = with_orig
        g = sam.input_size // 16
        self.register_buffer("image_pe", sam.prompt.pe.grid(g, g, 0, 0, g).detach().clone())

    def _decode(self, image_embeddings, point_coords, point_labels, mask_input, has_mask_input):
        p = self.sam.prompt
        sparse = p.sparse(point_coords, point_labels)
        dense = p.dense_tokens(mask_input, has_mask_input)
        return self.sam.decoder(image_embeddings, self.image_pe, sparse, dense)

    def forward(self, image_embeddings, point_coords, point_labels, mask_input, has_mask_input, orig_im_size=None):
        low, iou = self._decode(image_embeddings, point_coords, point_labels, mask_input, has_mask_input)
        if not self.with_orig:
            return iou, low
        size = self.sam.input_size
        masks = F.interpolate(low, size=(size, size), mode="bilinear", align_corners=False)
        s = size / torch.max(orig_im_size)
        nh = torch.floor(orig_im_size[0] * s + 0.5).to(torch.int64)
        nw = torch.floor(orig_im_size[1] * s + 0.5).to(torch.int64)
        masks = masks[:, :, :nh, :nw]
        oh, ow = orig_im_size[0].to(torch.int64), orig_im_size[1].to(torch.int64)
        masks = F.interpolate(masks, size=(oh, ow), mode="bilinear", align_corners=False)
        return masks, iou, low


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for blk in iter(lambda: f.read(1 << 20), b""):
            h.update(blk)
    return h.hexdigest()


def export_model(sam, out, name, check=True, lone_point_output=None):
    """Export encoder.onnx, decoder.onnx, decoder_batch.onnx and sam.json into out."""
    import onnx
    os.makedirs(out, exist_ok=True)
    sam = for_export(sam)
    common.FAST_LINEAR = False
    size = sam.input_size
    C = sam.embed_chans
    E = size // 16
    L = 4 * E
    with torch.no_grad():
        torch.onnx.export(EncoderOnnx(sam), (torch.zeros(1, 3, size, size),), os.path.join(out, "encoder.onnx"),
                          input_names=["image"], output_names=["image_embeddings"], opset_version=OPSET,
                          do_constant_folding=True)
        emb = torch.zeros(1, C, E, E)
        n = 3
        args1 = (emb, torch.rand(1, n, 2) * size, torch.tensor([[1.0, 0.0, -1.0]]), torch.zeros(1, 1, L, L),
                 torch.zeros(1), torch.tensor([700.0, 900.0]))
        torch.onnx.export(DecoderOnnx(sam, True), args1, os.path.join(out, "decoder.onnx"),
                          input_names=["image_embeddings", "point_coords", "point_labels", "mask_input",
                                       "has_mask_input", "orig_im_size"],
                          output_names=["masks", "iou_predictions", "low_res_masks"],
                          dynamic_axes={"point_coords": {1: "num_points"}, "point_labels": {1: "num_points"},
                                        "masks": {2: "height", 3: "width"}},
                          opset_version=OPSET, do_constant_folding=True)
        b = 2
        args2 = (emb, torch.rand(b, n, 2) * size, torch.tensor([[1.0, 0.0, -1.0]] * b), torch.zeros(b, 1, L, L),
                 torch.zeros(b))
        torch.onnx.export(DecoderOnnx(sam, False), args2, os.path.join(out, "decoder_batch.onnx"),
                          input_names=["image_embeddings", "point_coords", "point_labels", "mask_input",
                                       "has_mask_input"],
                          output_names=["iou_predictions", "low_res_masks"],
                          dynamic_axes={"point_coords": {0: "batch", 1: "num_points"},
                                        "point_labels": {0: "batch", 1: "num_points"},
                                        "mask_input": {0: "batch"}, "has_mask_input": {0: "batch"},
                                        "iou_predictions": {0: "batch"}, "low_res_masks": {0: "batch"}},
                          opset_version=OPSET, do_constant_folding=True)
    common.FAST_LINEAR = True
    files = ["encoder.onnx", "decoder.onnx", "decoder_batch.onnx"]
    if check:
        for f in files:
            onnx.checker.check_model(onnx.load(os.path.join(out, f)))
    keys = ["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input"]
    desc = {
        "format": 1,
        "name": name,
        "family": "sam1",
        "input_size": size,
        "pixel_mean": list(PIXEL_MEAN),
        "pixel_std": list(PIXEL_STD),
        "embedding_shape": [C, E, E],
        "low_res_size": L,
        **({"lone_point_output": lone_point_output} if lone_point_output else {}),
        # What data.py feeds the model in training (not SAM 1's official uint8 + Pillow pipeline).
        "preprocessing": {"intensity": "minmax", "resize": "bilinear"},
        "encoder": {"file": "encoder.onnx", "input": "image", "output": "image_embeddings"},
        "decoder": {
            "file": "decoder.onnx", "batch_axis": False, "orig_im_size": True, "mask_outputs": 4,
            "inputs": {**{k: k for k in keys}, "orig_im_size": "orig_im_size"},
            "outputs": {"iou_predictions": "iou_predictions", "low_res_masks": "low_res_masks"}},
        "batch_decoder": {
            "file": "decoder_batch.onnx", "batch_axis": True, "orig_im_size": False, "mask_outputs": 4,
            "inputs": {k: k for k in keys},
            "outputs": {"iou_predictions": "iou_predictions", "low_res_masks": "low_res_masks"}},
        "sha256": {f: sha256(os.path.join(out, f)) for f in files},
    }
    with open(os.path.join(out, "sam.json"), "w") as f:
        json.dump(desc, f, indent=2)
        f.write("\n")
    return desc


# ----------------------------------------------------------------------------
def enc_input(size=1024):
    c = torch.arange(3).view(3, 1, 1)
    y = torch.arange(size).view(1, size, 1)
    x = torch.arange(size).view(1, 1, size)
    return (((x * 7 + y * 13 + c * 29) % 256 - 128).float() / 64.0).unsqueeze(0)


def dec_embedding(C=256, E=64):
    c = torch.arange(C).view(C, 1, 1)
    y = torch.arange(E).view(1, E, 1)
    x = torch.arange(E).view(1, 1, E)
    return (((x * 5 + y * 11 + c * 3) % 97 - 48).float() / 48.0).unsqueeze(0)


def mask_formula(L=256):
    y = torch.arange(L).view(L, 1)
    x = torch.arange(L).view(1, L)
    return ((x + 2 * y) % 17 - 8).float() / 2.0


def r6(v):
    return [float(f"{float(a):.6g}") for a in v]


@torch.no_grad()
def write_parity(sam, path, name, enc_stride=97, dec_stride=193):
    sam = sam.eval().cpu()  # reference outputs from the original (training) modules
    common.FAST_LINEAR = False
    size = sam.input_size
    E, L = size // 16, size // 4
    C = sam.embed_chans
    out = {"format": 1, "model": name, "tolerance_hint": 1e-3}
    y = EncoderOnnx(sam)(enc_input(size)).flatten()
    idx = list(range(0, y.numel(), enc_stride))
    out["encoder"] = {"input_formula": "image[c][y][x] = ((x*7 + y*13 + c*29) % 256 - 128) / 64.0",
                      "shape": [1, 3, size, size], "output_shape": [1, C, E, E],
                      "indices": idx, "values": r6(y[idx])}
    out["decoder_embedding_formula"] = "embedding[c][y][x] = ((x*5 + y*11 + c*3) % 97 - 48) / 48.0"
    out["mask_input_formula"] = "mask[y][x] = ((x + 2*y) % 17 - 8) / 2.0 (for has_mask_input = 1, else all 0)"
    emb = dec_embedding(C, E)
    g = torch.Generator().manual_seed(1234)
    dec = DecoderOnnx(sam, True)
    cases = []
    for labels, has in [([1, -1], 0), ([2, 3, 1, 0], 0), ([1, 0, 1, -1], 1), ([1, 1, 0, 0, 1, -1], 1)]:
        n = len(labels)
        coords = (torch.rand(1, n, 2, generator=g) * size).round(decimals=2) if hasattr(torch.Tensor, "round") else None
        coords = torch.round(torch.rand(1, n, 2, generator=g) * size * 100) / 100
        lab = torch.tensor([labels], dtype=torch.float32)
        m = mask_formula(L).view(1, 1, L, L) if has else torch.zeros(1, 1, L, L)
        orig = torch.tensor([700.0, 900.0])
        masks, iou, low = dec(emb, coords, lab, m, torch.tensor([float(has)]), orig)
        lf = low.flatten()
        li = list(range(0, lf.numel(), dec_stride))
        cases.append({"point_coords": coords[0].tolist(), "point_labels": labels, "has_mask_input": has,
                      "orig_im_size": [700.0, 900.0], "iou_predictions": r6(iou[0]),
                      "low_res_indices": li, "low_res_values": r6(lf[li])})
    out["decoder"] = cases
    B, n = 3, 3
    coords = torch.round(torch.rand(B, n, 2, generator=g) * size * 100) / 100
    labels = [[1, 0, -1], [2, 3, 1], [1, 1, 0]]
    has = [0, 1, 1]
    m = torch.stack([mask_formula(L).unsqueeze(0) * h for h in has])
    iou, low = DecoderOnnx(sam, False)(emb, coords, torch.tensor(labels, dtype=torch.float32), m,
                                       torch.tensor(has, dtype=torch.float32))
    lf = low.flatten()
    li = list(range(0, lf.numel(), dec_stride))
    out["decoder_batch"] = {"point_coords": coords.tolist(), "point_labels": labels, "has_mask_input": has,
                            "iou_predictions": [r6(r) for r in iou], "low_res_indices": li,
                            "low_res_values": r6(lf[li])}
    common.FAST_LINEAR = True
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    return out


@torch.no_grad()
def measure(sam, reps=5):
    """torch CPU latencies (ms): encoder 1x3x1024x1024; decoder 1 prompt; per prompt in batch 64."""
    sam = sam.eval()
    size = sam.input_size
    x = torch.randn(1, 3, size, size)
    sam.encoder(x)
    t = time.time()
    for _ in range(reps):
        emb = sam.encoder(x)
    enc = (time.time() - t) / reps * 1000
    d = DecoderOnnx(sam, False)
    res = {"encoder_ms": enc}
    for b, key in [(1, "decoder_1_prompt_ms"), (64, "decoder_per_prompt_b64_ms")]:
        args = (emb, torch.rand(b, 2, 2) * size, torch.tensor([[1.0, -1.0]] * b), torch.zeros(b, 1, 256, 256),
                torch.zeros(b))
        d(*args)
        t = time.time()
        r = reps if b == 1 else 2
        for _ in range(r):
            d(*args)
        res[key] = (time.time() - t) / r * 1000 / b
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default="")
    ap.add_argument("--arch", default="light", choices=sorted(CONFIGS))
    ap.add_argument("--random-weights", action="store_true")
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", default="")
    ap.add_argument("--parity", default="")
    ap.add_argument("--measure", action="store_true", help="print torch CPU latencies")
    ap.add_argument("--lone-point-output", choices=["best_score", "single"], default=None,
                    help="descriptor hint: which output the plugin takes for a lone point (default: SAM's "
                         "best_score; 'single' for a model whose IoU head ranks its ambiguity masks poorly)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    if args.checkpoint:
        from train import load_checkpoint
        sam = load_checkpoint(args.checkpoint)
        name = args.name or "fijisam-light-dsb2018"
    elif args.random_weights:
        sam = build_sam(args.arch)
        name = args.name or f"fijisam-{args.arch}-random-twin"
    else:
        ap.error("give --checkpoint or --random-weights")
    desc = export_model(sam, args.out, name, lone_point_output=args.lone_point_output)
    total = sum(os.path.getsize(os.path.join(args.out, f)) for f in desc["sha256"])
    print(f"exported {name} to {args.out}: {total / 1e6:.2f} MB")
    if args.parity:
        write_parity(sam, args.parity, name)
        print(f"parity file {args.parity}: {os.path.getsize(args.parity) / 1e6:.2f} MB")
    if args.measure:
        print(json.dumps(measure(sam), indent=1))


if __name__ == "__main__":
    main()
