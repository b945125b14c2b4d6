#!/usr/bin/python3
"""The official side of the benchmark of issue 11, and what the Java side needs to run it.

With the official segment-anything code (a checkout given by --sam) and one SAM 1 model:
  --export DIR    writes DIR/encoder.onnx + decoder.onnx exported the official way (the
                  decoder through segment_anything.utils.onnx.SamOnnxModel, opset 17) and
                  DIR/sam.json, so that `sam-cli bench --model DIR` times the Java pipeline on
                  the same weights; DIR/flops.json counts the multiply-adds of the encoder and
                  of the decoder for one point (PyTorch's profiler, while they run) and
                  DIR/matmul.onnx is one 2048 x 2048 x 2048 MatMul for measuring what this
                  machine's matrix multiply reaches through ONNX Runtime (MatmulPeak).
  --time          times the official SamPredictor on a 1024 x 1024 8-bit RGB image: set_image
                  (preprocessing + encoder), one point prompt with multimask output (three
                  masks at full resolution, as predict returns them), and with --amg-grid N
                  SamAutomaticMaskGenerator with an N x N grid (its defaults otherwise).
Weights: --checkpoint FILE (a state dict), else random with seed 0 (the benchmark measures
speed, which does not depend on the values). Prints one JSON object.

    /usr/bin/python3 training/bench_official.py --sam /tmp/sam1-official --model vit_b \
        --export /tmp/vitb --time --amg-grid 32
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import torch

OPSET = 17


def build(model, checkpoint):
    from segment_anything import sam_model_registry
    torch.manual_seed(0)
    sam = sam_model_registry[model](checkpoint=None)
    if checkpoint:
        state = torch.load(checkpoint, map_location="cpu")
        sam.load_state_dict(state.get("model", state) if isinstance(state, dict) else state, strict=True)
    return sam.eval()


def export(sam, out):
    from segment_anything.utils.onnx import SamOnnxModel
    os.makedirs(out, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(sam.image_encoder, (torch.zeros(1, 3, 1024, 1024),), os.path.join(out, "encoder.onnx"),
                          input_names=["image"], output_names=["image_embeddings"], opset_version=OPSET,
                          do_constant_folding=True)
    onnx_model = SamOnnxModel(model=sam, return_single_mask=False)
    dim = sam.prompt_encoder.embed_dim
    dummy = {
        "image_embeddings": torch.randn(1, dim, 64, 64, dtype=torch.float),
        "point_coords": torch.randint(low=0, high=1024, size=(1, 5, 2), dtype=torch.float),
        "point_labels": torch.randint(low=0, high=4, size=(1, 5), dtype=torch.float),
        "mask_input": torch.randn(1, 1, 256, 256, dtype=torch.float),
        "has_mask_input": torch.tensor([1], dtype=torch.float),
        "orig_im_size": torch.tensor([1500, 2250], dtype=torch.float),
    }
    with torch.no_grad():
        torch.onnx.export(onnx_model, tuple(dummy.values()), os.path.join(out, "decoder.onnx"), export_params=True,
                          opset_version=OPSET, do_constant_folding=True, input_names=list(dummy.keys()),
                          output_names=["masks", "iou_predictions", "low_res_masks"],
                          dynamic_axes={"point_coords": {1: "num_points"}, "point_labels": {1: "num_points"}})
    keys = list(dummy.keys())
    descriptor = {
        "format": 1, "name": "official-export-random", "family": "sam1", "input_size": 1024,
        "pixel_mean": [123.675, 116.28, 103.53], "pixel_std": [58.395, 57.12, 57.375],
        "embedding_shape": [dim, 64, 64], "low_res_size": 256,
        "encoder": {"file": "encoder.onnx", "input": "image", "output": "image_embeddings"},
        "decoder": {"file": "decoder.onnx", "batch_axis": False, "orig_im_size": True, "mask_outputs": 4,
                    "inputs": {k: k for k in keys},
                    "outputs": {"iou_predictions": "iou_predictions", "low_res_masks": "low_res_masks"}},
    }
    with open(os.path.join(out, "sam.json"), "w") as f:
        json.dump(descriptor, f, indent=2)
    write_matmul(os.path.join(out, "matmul.onnx"), 2048)
    flops = count_multiply_adds(sam)
    with open(os.path.join(out, "flops.json"), "w") as f:
        json.dump(flops, f, indent=2)
    return flops


def write_matmul(path, n):
    import onnx
    from onnx import TensorProto, helper
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [n, n])
    c = helper.make_tensor_value_info("c", TensorProto.FLOAT, [n, n])
    graph = helper.make_graph([helper.make_node("MatMul", ["a", "b"], ["c"])], "matmul", [a, b], [c])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)]), path)


def count_multiply_adds(sam):
    """Multiply-adds of the encoder on one 1024 x 1024 image and of the decoder for one point,
    counted by PyTorch's profiler (matrix products and convolutions) while they run."""
    from segment_anything.utils.onnx import SamOnnxModel

    def count(f):
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], with_flops=True) as prof:
            with torch.no_grad():
                f()
        return int(sum(e.flops for e in prof.key_averages() if e.flops)) // 2
    dim = sam.prompt_encoder.embed_dim
    decoder = SamOnnxModel(model=sam, return_single_mask=False)
    emb = torch.randn(1, dim, 64, 64)
    point = (emb, torch.tensor([[[512.0, 512.0], [0.0, 0.0]]]), torch.tensor([[1.0, -1.0]]),
             torch.zeros(1, 1, 256, 256), torch.tensor([0.0]), torch.tensor([1024.0, 1024.0]))
    return {"encoder_multiply_adds": count(lambda: sam.image_encoder(torch.zeros(1, 3, 1024, 1024))),
            "decoder_multiply_adds_one_point": count(lambda: decoder(*point)),
            "counted_by": "torch.profiler with_flops (matrix products and convolutions)"}


def image(seed=7):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:1024, 0:1024]
    img = np.full((1024, 1024), 40.0)
    for _ in range(60):  # bright blobs like nuclei, so the generator has objects to keep
        cx, cy, r = rng.uniform(0, 1024), rng.uniform(0, 1024), rng.uniform(10, 40)
        img[(x - cx) ** 2 + (y - cy) ** 2 < r * r] = rng.uniform(120, 230)
    return np.repeat(np.clip(img, 0, 255).astype(np.uint8)[:, :, None], 3, axis=2)


def median_ms(f, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times))


def time_official(sam, repeats, grid):
    from segment_anything import SamAutomaticMaskGenerator, SamPredictor
    img = image()
    predictor = SamPredictor(sam)
    out = {"torch": torch.__version__, "torch_threads": torch.get_num_threads()}
    with torch.no_grad():
        predictor.set_image(img)  # warm-up
        out["set_image_ms"] = median_ms(lambda: predictor.set_image(img), repeats)
        point = dict(point_coords=np.array([[512.0, 512.0]]), point_labels=np.array([1]), multimask_output=True)
        predictor.predict(**point)
        out["one_prompt_ms"] = median_ms(lambda: predictor.predict(**point), 10 * repeats)
        if grid > 0:
            gen = SamAutomaticMaskGenerator(sam, points_per_side=grid)
            t0 = time.perf_counter()
            masks = gen.generate(img)
            out["amg_grid"] = grid
            out["amg_total_ms"] = (time.perf_counter() - t0) * 1000
            out["amg_masks"] = len(masks)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def summarize(folder):
    """The side-by-side table from the files scripts/bench-official.sh leaves in the folder."""
    def load(name):
        path = os.path.join(folder, name)
        return json.load(open(path)) if os.path.exists(path) else {}
    flops, peak, java, official = load("flops.json"), load("peak.json"), load("java.json"), load("official.json")
    off = official.get("official", {})
    gflops = peak.get("gflops")
    enc_macs = flops.get("encoder_multiply_adds", 0)
    dec_macs = flops.get("decoder_multiply_adds_one_point", 0)

    def frac(macs, ms):
        return "%.0f %%" % (100 * 2 * macs / (ms / 1000) / 1e9 / gflops) if gflops and ms else "-"

    def f(v, unit=" ms"):
        return "-" if v is None else ("%.1f%s" % (v, unit))
    rows = ["| | official PyTorch | Java | Java, fraction of the matrix-multiply peak | target |", "|---|---|---|---|---|"]
    rows.append("| encoder (1024 x 1024) | %s | %s | %s | >= 70 %% |" % (
        f(off.get("set_image_ms")), f(java.get("encoder_ms")), frac(enc_macs, java.get("encoder_ms"))))
    rows.append("| one point, three masks at full resolution | %s | %s | %s | <= 30 ms |" % (
        f(off.get("one_prompt_ms")), f(java.get("one_prompt_all_masks_full_res_ms")),
        frac(dec_macs, java.get("decoder_single_ms"))))
    grid = java.get("auto_grid", "-")
    amg_java = java.get("auto_total_ms")
    dec_java = None
    if amg_java is not None:
        dec_java = amg_java - java.get("auto_encoder_ms", 0)
    bound = None
    if gflops and dec_macs and isinstance(grid, str) and "x" in grid:
        n = int(grid.split("x")[0])
        bound = n * n * 2 * dec_macs / gflops / 1e9 * 1000
    rows.append("| automatic mode %s, encoder excluded | %s | %s | %s x the decoder's compute bound (%s) | <= 1.5 x |" % (
        grid, f(off.get("amg_total_ms") - off.get("set_image_ms", 0) if off.get("amg_total_ms") else None),
        f(dec_java), "%.2f" % (dec_java / bound) if bound and dec_java else "-", f(bound)))
    rows.append("| peak memory (resident) | %s | %s | | <= 4096 MB |" % (
        f(off.get("peak_rss_mb"), " MB"), f(java.get("peak_rss_mb"), " MB")))
    head = ("matrix multiply through ONNX Runtime: %s GFLOP/s (%s threads); encoder %.1f G multiply-adds, "
            "decoder %.2f G multiply-adds for one point" % (gflops, peak.get("threads"), enc_macs / 1e9, dec_macs / 1e9))
    return head + "\n\n" + "\n".join(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--summarize", metavar="DIR", help="print the table from the benchmark files in DIR and stop")
    ap.add_argument("--sam", default="/tmp/sam1-official", help="checkout of facebookresearch/segment-anything")
    ap.add_argument("--model", default="vit_b", choices=["vit_b", "vit_l", "vit_h"])
    ap.add_argument("--checkpoint", help="state dict to load (default: random weights, seed 0)")
    ap.add_argument("--export", metavar="DIR")
    ap.add_argument("--time", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--amg-grid", type=int, default=0)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--count", metavar="DIR", help="only (re)count the multiply-adds into DIR/flops.json")
    args = ap.parse_args()
    if args.summarize:
        print(summarize(args.summarize))
        return
    sys.path.insert(0, os.path.abspath(args.sam))
    torch.set_num_threads(args.threads)
    sam = build(args.model, args.checkpoint)
    result = {"model": args.model}
    if args.count:
        flops = count_multiply_adds(sam)
        with open(os.path.join(args.count, "flops.json"), "w") as f:
            json.dump(flops, f, indent=2)
        result.update(flops)
    if args.export:
        result.update(export(sam, args.export))
    if args.time:
        result["official"] = time_official(sam, args.repeats, args.amg_grid)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
