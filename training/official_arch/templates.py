#!/usr/bin/python3
"""Writes the ONNX graph templates that the Java converter (org.fijisam.convert) fills with an
official checkpoint's weights: the graphs of our own implementation (sam1.py) exported with
random weights, every initializer that is a checkpoint tensor turned into external data, and a
manifest.json telling the converter which tensor goes where.

    /usr/bin/python3 training/official_arch/templates.py --family sam1 --size vit_b \
        --out src/main/resources/templates/sam1/vit_b
    /usr/bin/python3 training/official_arch/templates.py --family sam2 --size hiera_t \
        --out src/main/resources/templates/sam2/hiera_t

SAM 2.1 (sam2.py) gives the sam2-tiny fixture's interface (src/test/resources/fixtures/sam2-tiny/
README.md): an encoder with three outputs, decoders taking them with samexporter's names.

Why the export keeps the state-dict names: do_constant_folding=False leaves every parameter an
initializer under its module path (a folded export would bake transposes into new, anonymous
tensors). The wrappers hold image_encoder / prompt_encoder / mask_decoder as submodules, so the
initializer names ARE the checkpoint keys; the script checks that and fails otherwise.

ViT-H's weights (2.5 GB) pass protobuf's 2 GB limit: exporting to a file path makes torch write
them as external data in the temporary folder, and the graph is read back without them.

micro-sam's instance decoder (microsam_decoder.py) has its own templates, one per upsampler and
width, whatever the encoder size (it reads the 256-channel embedding only):
    --family microsam_decoder --size interpolate_256_64   (or transposed_256_64)
writing instance_decoder.onnx / instance_decoder.weights, and as "descriptor" the sam.json
sections the converted model gains (instance_decoder with micro-sam's thresholds, automatic_mode).

Files written:
  encoder.onnx, decoder.onnx, decoder_batch.onnx, decoder_batch_no_mask.onnx,
  decoder_image_side.onnx (the no-mask decoder's per-image part)
                 graphs, weights as external data
                 (encoder.weights for the encoder, decoder.weights shared by the decoders);
                 constants the exporter made (index tables, shapes) stay inline.
  manifest.json  the checkpoint's expected tensors (name, shape, state-dict order), each
                 weights file's tensors with their byte offsets (float32 little-endian,
                 64-byte aligned), and the sam.json the converted folder gets (less sha256).
"""
import argparse
import json
import os
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

OPSET = 17
ALIGN = 64
KEYS = ["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input"]


def distinct(model):
    """Gives every tensor its own random values: the exporter merges initializers with equal
    contents (fresh LayerNorms are all ones), which would leave checkpoint tensors without a
    place in the template."""
    torch.manual_seed(0)
    with torch.no_grad():
        for t in model.state_dict().values():
            if t.is_floating_point():  # not the batch-norm counters
                t.copy_(torch.randn_like(t) * 0.02 + 1)
    return model


def export_sam1(size, tmp, encoder=True):
    """encoder=False leaves the encoder graph out (the caller puts the existing one in tmp)."""
    from official_arch import sam1
    sam = distinct(sam1.build(size))
    cfg = sam.cfg
    s, c, g = cfg.img_size, cfg.out_chans, cfg.img_size // cfg.patch_size
    low = 4 * g
    with torch.no_grad():
        if encoder:
            torch.onnx.export(sam1.EncoderGraph(sam), (torch.zeros(1, 3, s, s),), os.path.join(tmp, "encoder.onnx"),
                              input_names=["image"], output_names=["image_embeddings"], opset_version=OPSET,
                              do_constant_folding=False)
        emb = torch.zeros(1, c, g, g)
        args = (emb, torch.rand(1, 3, 2) * s, torch.tensor([[1.0, 0.0, -1.0]]), torch.zeros(1, 1, low, low),
                torch.zeros(1), torch.tensor([700.0, 900.0]))
        torch.onnx.export(sam1.DecoderGraph(sam), args, os.path.join(tmp, "decoder.onnx"),
                          input_names=KEYS + ["orig_im_size"],
                          output_names=["masks", "iou_predictions", "low_res_masks"],
                          dynamic_axes={"point_coords": {1: "num_points"}, "point_labels": {1: "num_points"},
                                        "masks": {2: "height", 3: "width"}},
                          opset_version=OPSET, do_constant_folding=False)
        b = 2
        args = (emb, torch.rand(b, 3, 2) * s, torch.tensor([[1.0, 0.0, -1.0]] * b), torch.zeros(b, 1, low, low),
                torch.zeros(b))
        torch.onnx.export(sam1.DecoderGraph(sam, batch=True), args, os.path.join(tmp, "decoder_batch.onnx"),
                          input_names=KEYS, output_names=["iou_predictions", "low_res_masks"],
                          dynamic_axes={"point_coords": {0: "batch", 1: "num_points"},
                                        "point_labels": {0: "batch", 1: "num_points"},
                                        "mask_input": {0: "batch"}, "has_mask_input": {0: "batch"},
                                        "iou_predictions": {0: "batch"}, "low_res_masks": {0: "batch"}},
                          opset_version=OPSET, do_constant_folding=False)
        side_names = sam1.IMAGE_SIDE_NAMES
        torch.onnx.export(sam1.ImageSideGraph(sam), (emb,), os.path.join(tmp, "decoder_image_side.onnx"),
                          input_names=["image_embeddings"], output_names=side_names, opset_version=OPSET,
                          do_constant_folding=False)
        side = sam1.ImageSideGraph(sam)(emb)
        plain = side_names + KEYS[1:3]
        torch.onnx.export(sam1.NoMaskDecoderGraph(sam, blocks=True), tuple(side) + args[1:3],
                          os.path.join(tmp, "decoder_batch_no_mask.onnx"),
                          input_names=plain, output_names=["iou_predictions", "low_res_masks"],
                          dynamic_axes={"point_coords": {0: "batch", 1: "num_points"},
                                        "point_labels": {0: "batch", 1: "num_points"},
                                        "iou_predictions": {0: "batch"}, "low_res_masks": {0: "batch"}},
                          opset_version=OPSET, do_constant_folding=False)
    decoder = {"batch_axis": False, "orig_im_size": True, "mask_outputs": 4,
               "inputs": {**{k: k for k in KEYS}, "orig_im_size": "orig_im_size"},
               "outputs": {"iou_predictions": "iou_predictions", "low_res_masks": "low_res_masks"}}
    descriptor = {
        "format": 1, "family": "sam1", "input_size": s,
        "pixel_mean": [123.675, 116.28, 103.53], "pixel_std": [58.395, 57.12, 57.375],
        "embedding_shape": [c, g, g], "low_res_size": low,
        "encoder": {"file": "encoder.onnx", "input": "image", "output": "image_embeddings"},
        "decoder": {"file": "decoder.onnx", **decoder},
        "batch_decoder": {"file": "decoder_batch.onnx", "batch_axis": True, "orig_im_size": False,
                          "mask_outputs": 4, "inputs": {k: k for k in KEYS}, "outputs": decoder["outputs"]},
        "batch_decoder_no_mask": {"file": "decoder_batch_no_mask.onnx", "batch_axis": True, "orig_im_size": False,
                                  "mask_inputs": False, "mask_outputs": 4,
                                  "inputs": {k: k for k in KEYS[1:3]}, "outputs": decoder["outputs"],
                                  "image_side": "decoder_image_side.onnx", "low_res_order": "blocks"},
    }
    graphs = {"encoder.onnx": "encoder.weights", "decoder.onnx": "decoder.weights",
              "decoder_batch.onnx": "decoder.weights", "decoder_batch_no_mask.onnx": "decoder.weights",
              "decoder_image_side.onnx": "decoder.weights"}
    return sam.state_dict(), graphs, descriptor


SAM2_IN = ["image_embed", "high_res_feats_0", "high_res_feats_1", "point_coords", "point_labels", "mask_input",
           "has_mask_input"]
SAM2_OUT = ["masks", "iou_predictions", "object_score_logits"]


def export_sam2(size, tmp, encoder=True):
    """encoder=False leaves the encoder graph out (the caller puts the existing one in tmp)."""
    import onnx
    from official_arch import sam2
    sam = distinct(sam2.build(size))
    s, d, g = sam.cfg.img_size, sam.cfg.d_model, sam.cfg.img_size // 16
    with torch.no_grad():
        if encoder:
            torch.onnx.export(sam2.EncoderGraph(sam), (torch.zeros(1, 3, s, s),), os.path.join(tmp, "encoder.onnx"),
                              input_names=["image"],
                              output_names=["high_res_feats_0", "high_res_feats_1", "image_embed"],
                              opset_version=OPSET, do_constant_folding=False)
        for fname, b in (("decoder.onnx", 1), ("decoder_batch.onnx", 2)):
            args = (torch.zeros(1, d, g, g), torch.zeros(1, d // 8, 4 * g, 4 * g), torch.zeros(1, d // 4, 2 * g, 2 * g),
                    torch.rand(b, 2, 2) * s, torch.tensor([[1.0, 0.0]] * b), torch.zeros(b, 1, 4 * g, 4 * g),
                    torch.zeros(b))
            dyn = {"point_coords": {1: "num_points"}, "point_labels": {1: "num_points"}}
            if b > 1:
                for k in ("point_coords", "point_labels", "mask_input", "has_mask_input"):
                    dyn.setdefault(k, {})[0] = "batch"
                for k in SAM2_OUT:
                    dyn[k] = {0: "batch"}
            torch.onnx.export(sam2.DecoderGraph(sam, blocks=True), args, os.path.join(tmp, fname), input_names=SAM2_IN,
                              output_names=SAM2_OUT, dynamic_axes=dyn, opset_version=OPSET,
                              do_constant_folding=False)
        # The mask-free pair, as for SAM 1: the image side once per image, then the prompts.
        image = args[:3]
        torch.onnx.export(sam2.ImageSideGraph(sam), image, os.path.join(tmp, "decoder_image_side.onnx"),
                          input_names=SAM2_IN[:3], output_names=sam2.IMAGE_SIDE_NAMES, opset_version=OPSET,
                          do_constant_folding=False)
        side = sam2.ImageSideGraph(sam)(*image)
        dyn = {k: {0: "batch"} for k in SAM2_OUT}
        dyn.update({k: {0: "batch", 1: "num_points"} for k in ("point_coords", "point_labels")})
        torch.onnx.export(sam2.NoMaskDecoderGraph(sam, blocks=True), tuple(side) + args[3:5],
                          os.path.join(tmp, "decoder_batch_no_mask.onnx"),
                          input_names=sam2.IMAGE_SIDE_NAMES + SAM2_IN[3:5], output_names=SAM2_OUT, dynamic_axes=dyn,
                          opset_version=OPSET, do_constant_folding=False)
    # Without constant folding the exporter leaves made-up output dimensions: write the real ones,
    # as the sam2-tiny fixture's graphs have them.
    fixed = {}
    if encoder:
        fixed["encoder.onnx"] = {"high_res_feats_0": [1, d // 8, 4 * g, 4 * g],
                                 "high_res_feats_1": [1, d // 4, 2 * g, 2 * g], "image_embed": [1, d, g, g]}
    for fname, b in (("decoder.onnx", 1), ("decoder_batch.onnx", "batch"), ("decoder_batch_no_mask.onnx", "batch")):
        fixed[fname] = {"masks": [b, 4, 4 * g, 4 * g], "iou_predictions": [b, 4], "object_score_logits": [b, 1]}
    for fname, dims in fixed.items():
        path = os.path.join(tmp, fname)
        m = onnx.load(path)
        for o in m.graph.output:
            for dim, v in zip(o.type.tensor_type.shape.dim, dims[o.name]):
                dim.Clear()
                if isinstance(v, str):
                    dim.dim_param = v
                else:
                    dim.dim_value = v
        onnx.save(m, path)
    io_map = {"image_embeddings": "image_embed", **{k: k for k in SAM2_IN[1:]}}
    outs = {"iou_predictions": "iou_predictions", "low_res_masks": "masks",
            "object_score_logits": "object_score_logits"}

    def decoder(fname, batch):
        return {"file": fname, "batch_axis": batch, "orig_im_size": False, "mask_outputs": 4, "pads_points": True,
                "inputs": io_map, "outputs": outs, "low_res_order": "blocks"}

    # SAM2ImagePredictor's behaviour around the network, as the sam2-tiny fixture's sam.json says it.
    descriptor = {
        "format": 1, "family": "sam2", "input_size": s,
        "pixel_mean": [123.675, 116.28, 103.53], "pixel_std": [58.395, 57.12, 57.375],
        "embedding_shape": [d, g, g], "high_res_shapes": [[d // 8, 4 * g, 4 * g], [d // 4, 2 * g, 2 * g]],
        "low_res_size": 4 * g,
        "preprocessing": {"intensity": "as_is", "resize": "antialiased", "fit": "stretch"},
        "encoder": {"file": "encoder.onnx", "input": "image", "output": "image_embed",
                    "outputs": {"image_embeddings": "image_embed", "high_res_feats_0": "high_res_feats_0",
                                "high_res_feats_1": "high_res_feats_1"}},
        "decoder": decoder("decoder.onnx", False),
        "batch_decoder": decoder("decoder_batch.onnx", True),
        "batch_decoder_no_mask": {**decoder("decoder_batch_no_mask.onnx", True), "mask_inputs": False,
                                  "inputs": {k: k for k in SAM2_IN[3:5]}, "image_side": "decoder_image_side.onnx"},
        "single_mask": {"dynamic_multimask_via_stability": True, "stability_delta": 0.05, "stability_thresh": 0.98},
        "mask_input_clamp": 32.0,
        "object_score_gating": False,
    }
    graphs = {"encoder.onnx": "encoder.weights", "decoder.onnx": "decoder.weights",
              "decoder_batch.onnx": "decoder.weights", "decoder_batch_no_mask.onnx": "decoder.weights",
              "decoder_image_side.onnx": "decoder.weights"}
    return sam.state_dict(), graphs, descriptor


def export_microsam_decoder(size, tmp):
    """micro-sam's instance decoder (microsam_decoder.py); size names the upsampler and the
    dimensions, e.g. interpolate_256_64 (microsam_decoder.template_name)."""
    from official_arch import microsam_decoder as md
    kind, embed, initial = size.rsplit("_", 2)
    dec = distinct(md.build(kind=kind, embed=int(embed), initial=int(initial), graph=True))
    with torch.no_grad():
        torch.onnx.export(dec, (torch.zeros(1, int(embed), 64, 64),), os.path.join(tmp, "instance_decoder.onnx"),
                          input_names=["image_embeddings"], output_names=list(md.OUT), opset_version=OPSET,
                          do_constant_folding=False)
    # What the converted sam.json gains: the decoder (it reads the embedding only) with
    # micro-sam's thresholds, and automatic segmentation through it.
    descriptor = {"instance_decoder": {"file": "instance_decoder.onnx",
                                       "inputs": {"image_embeddings": "image_embeddings"},
                                       "outputs": {o: o for o in md.OUT}, **md.THRESHOLDS},
                  "automatic_mode": "ais"}
    return dec.state_dict(), {"instance_decoder.onnx": "instance_decoder.weights"}, descriptor


def fuse_decoders(tmp, graphs):
    """The decoders' residual + bias + LayerNorm steps as ONNX Runtime's fused kernel (fusions.py)."""
    import onnx
    from official_arch.fusions import skip_layer_norms
    for graph in graphs:
        if graph.startswith("decoder"):
            path = os.path.join(tmp, graph)
            m = onnx.load(path)
            if skip_layer_norms(m):
                onnx.save(m, path)


def strip(tmp, out, state, graphs, family, size, descriptor):
    import onnx
    from onnx import TensorProto
    shapes = {k: list(v.shape) for k, v in state.items()}
    models = {}
    used = {}
    for graph, weights in graphs.items():
        # Structure only: a graph over protobuf's 2 GB (ViT-H's encoder) was exported with its
        # weights as external data beside it, and a reused template graph (--decoders-only)
        # already points at external data: neither is read back.
        m = onnx.load(os.path.join(tmp, graph), load_external_data=False)
        models[graph] = m
        for init in m.graph.initializer:
            if init.name in state:
                if list(init.dims) != shapes[init.name] or init.data_type != TensorProto.FLOAT:
                    raise SystemExit("%s: initializer %s is %s, the state dict has %s" % (
                        graph, init.name, list(init.dims), shapes[init.name]))
                used.setdefault(weights, set()).add(init.name)
            elif int(torch.tensor(list(init.dims)).prod()) > 65536:
                # A large inline tensor that is not a checkpoint key would be a weight under another
                # name (a folded or renamed parameter): the template would carry random weights.
                raise SystemExit("%s: large initializer %s %s is not a checkpoint tensor" % (
                    graph, init.name, list(init.dims)))
    unused = [k for k in state if not any(k in u for u in used.values())]
    layout = {}
    for weights, names in used.items():
        entries, offset = [], 0
        for k in state:  # state-dict order: the order the converter reads the checkpoint in
            if k in names:
                offset = (offset + ALIGN - 1) // ALIGN * ALIGN
                entries.append({"name": k, "offset": offset})
                offset += 4 * int(state[k].numel())
        layout[weights] = entries
    offsets = {w: {e["name"]: e["offset"] for e in entries} for w, entries in layout.items()}
    os.makedirs(out, exist_ok=True)
    for graph, m in models.items():
        weights = graphs[graph]
        for init in m.graph.initializer:
            if init.name not in state:
                continue
            init.ClearField("raw_data")
            init.ClearField("float_data")
            init.data_location = TensorProto.EXTERNAL
            del init.external_data[:]
            for key, value in (("location", weights), ("offset", offsets[weights][init.name]),
                               ("length", 4 * int(state[init.name].numel()))):
                e = init.external_data.add()
                e.key, e.value = key, str(value)
        m.producer_name = "fijisam-template"
        m.doc_string = "SAM graph template (%s %s): weights come from an official checkpoint" % (family, size)
        with open(os.path.join(out, graph), "wb") as f:
            f.write(m.SerializeToString())
    manifest = {
        "format": 1, "family": family, "size": size,
        "generated_by": "training/official_arch/templates.py",
        "tensors": [{"name": k, "shape": shapes[k]} for k in state],
        "unused": unused,
        "graphs": graphs,
        "weights": layout,
        "descriptor": descriptor,
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(out, g)) for g in graphs)
    print("%s %s: %d tensors (%d unused), graphs %.1f kB -> %s" % (family, size, len(state), len(unused),
                                                                  total / 1e3, out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", default="sam1", choices=["sam1", "sam2", "microsam_decoder"])
    ap.add_argument("--size", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--decoders-only", action="store_true",
                    help="re-export the decoders, keep the encoder graph already in --out (it only depends on "
                         "the encoder code; exporting a large ViT takes many minutes)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    with tempfile.TemporaryDirectory() as tmp:
        if args.family == "microsam_decoder":
            if args.decoders_only:
                raise SystemExit("--decoders-only is for sam1 and sam2 (the instance decoder is one graph)")
            state, graphs, descriptor = export_microsam_decoder(args.size, tmp)
        else:
            if args.decoders_only:
                import shutil
                shutil.copy(os.path.join(args.out, "encoder.onnx"), tmp)
            export = export_sam2 if args.family == "sam2" else export_sam1
            state, graphs, descriptor = export(args.size, tmp, encoder=not args.decoders_only)
            fuse_decoders(tmp, graphs)
        strip(tmp, args.out, state, graphs, args.family, args.size, descriptor)


if __name__ == "__main__":
    main()
