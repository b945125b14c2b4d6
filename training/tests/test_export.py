import json
import os

import onnx
import torch

from sam_model import build_sam
from export import export_model, write_parity


def _names(path):
    m = onnx.load(path)
    init = {i.name for i in m.graph.initializer}
    return [i.name for i in m.graph.input if i.name not in init], [o.name for o in m.graph.output]


def test_export_tiny(tmp_path):
    torch.manual_seed(0)
    sam = build_sam("tiny")
    desc = export_model(sam, str(tmp_path), "tiny-test")
    for f in ("encoder.onnx", "decoder.onnx", "decoder_batch.onnx"):
        onnx.checker.check_model(onnx.load(str(tmp_path / f)))
    assert _names(str(tmp_path / "encoder.onnx")) == (["image"], ["image_embeddings"])
    assert _names(str(tmp_path / "decoder.onnx")) == (
        ["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size"],
        ["masks", "iou_predictions", "low_res_masks"])
    assert _names(str(tmp_path / "decoder_batch.onnx")) == (
        ["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input"],
        ["iou_predictions", "low_res_masks"])
    m = onnx.load(str(tmp_path / "decoder_batch.onnx"))
    pc = [i for i in m.graph.input if i.name == "point_coords"][0]
    dims = pc.type.tensor_type.shape.dim
    assert dims[0].dim_param and dims[1].dim_param and dims[2].dim_value == 2
    assert m.opset_import[0].version == 17
    d = json.load(open(tmp_path / "sam.json"))
    assert d == desc
    for k in ("format", "name", "family", "input_size", "pixel_mean", "pixel_std", "embedding_shape",
              "low_res_size", "encoder", "decoder", "batch_decoder", "sha256"):
        assert k in d
    assert d["embedding_shape"] == [32, 64, 64] and d["low_res_size"] == 256
    assert d["decoder"]["orig_im_size"] is True and d["batch_decoder"]["batch_axis"] is True
    assert "orig_im_size" not in d["batch_decoder"]["inputs"]
    import hashlib
    for f, h in d["sha256"].items():
        assert hashlib.sha256(open(tmp_path / f, "rb").read()).hexdigest() == h
    p = write_parity(sam, str(tmp_path / "parity.json"), "tiny-test")
    assert os.path.getsize(tmp_path / "parity.json") < 1_000_000
    assert len(p["decoder"]) >= 3 and len(p["decoder_batch"]["iou_predictions"]) == 3
