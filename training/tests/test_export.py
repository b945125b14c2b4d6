import json
import os

import onnx
import pytest
import torch

from sam_model import build_sam
from export import export_model, write_parity


def _names(path):
    m = onnx.load(path)
    init = {i.name for i in m.graph.initializer}
    return [i.name for i in m.graph.input if i.name not in init], [o.name for o in m.graph.output]


@pytest.mark.parametrize("arch", ["tiny", "tiny_shared"])
def test_export_tiny(tmp_path, arch):
    torch.manual_seed(0)
    sam = build_sam(arch)
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
    # Our models are trained on data.py's pipeline, not the official uint8 + Pillow one.
    assert d["preprocessing"] == {"intensity": "minmax", "resize": "bilinear"}
    assert d["decoder"]["orig_im_size"] is True and d["batch_decoder"]["batch_axis"] is True
    assert "orig_im_size" not in d["batch_decoder"]["inputs"]
    import hashlib
    for f, h in d["sha256"].items():
        assert hashlib.sha256(open(tmp_path / f, "rb").read()).hexdigest() == h
    p = write_parity(sam, str(tmp_path / "parity.json"), "tiny-test")
    assert os.path.getsize(tmp_path / "parity.json") < 1_000_000
    assert len(p["decoder"]) >= 3 and len(p["decoder_batch"]["iou_predictions"]) == 3


@pytest.mark.parametrize("arch", ["tiny", "tiny_shared"])
def test_export_modules_same_math(arch):
    """for_export swaps in reassociated attention (and a channels-last head): same outputs."""
    from export import for_export
    torch.manual_seed(0)
    sam = build_sam(arch).eval()
    ex = for_export(sam)
    emb = torch.randn(1, 32, 64, 64)
    coords = torch.rand(3, 3, 2) * 1024
    labels = torch.tensor([[1.0, 0, -1], [2, 3, 1], [1, 1, 0]])
    masks = torch.randn(3, 1, 256, 256)
    has = torch.tensor([0.0, 1, 1])
    with torch.no_grad():
        a = sam.decode(emb, coords, labels, masks, has)
        b = ex.decode(emb, coords, labels, masks, has)
    assert torch.allclose(a[0], b[0], atol=1e-4, rtol=1e-4) and torch.allclose(a[1], b[1], atol=1e-5)
