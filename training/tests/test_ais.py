"""Instance decoder (AIS): targets, model, export, splits."""
import hashlib
import json
import os

import numpy as np
import onnx
import pytest
import torch

from ais_targets import edt, frame_targets, object_distances, small_object_ids, boxes
from sam_model.instance import InstanceDecoder, InstanceDecoderOnnx, OUTPUTS, build_instance_decoder
from export_ais import export_instance_decoder, OPSET

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY = dict(embed_chans=256, width=8, up=(8, 8), stem=(4, 8), fuse=8)


def brute_edt(sub):
    fy, fx = np.nonzero(sub)
    by, bx = np.nonzero(~sub)
    out = np.zeros(sub.shape)
    d = np.sqrt((fy[:, None] - by[None]) ** 2 + (fx[:, None] - bx[None]) ** 2).min(1)
    out[fy, fx] = d
    return out


def test_edt_exact_against_brute_force():
    rng = np.random.default_rng(0)
    for _ in range(5):
        m = rng.random((23, 31)) < 0.8
        m = np.pad(m, 1)
        assert np.allclose(edt(m), brute_edt(m), atol=1e-9)


def test_object_distances_disc():
    yy, xx = np.mgrid[:41, :41]
    disc = (yy - 20) ** 2 + (xx - 20) ** 2 <= 15 ** 2
    bd, cd = object_distances(disc)
    assert bd[20, 20] == 0.0 and cd[20, 20] == 0.0          # centre
    assert bd[~disc].min() == 1.0 and cd[~disc].min() == 1.0  # background
    assert abs(cd[disc].max() - 1.0) < 1e-6                    # farthest pixel
    edge = disc & ~np.roll(disc, 1, 0)
    assert bd[edge].min() > 0.9                                # outermost pixels: 1 - 1/m
    assert (bd[disc] >= 0).all() and (bd[disc] < 1).all()
    # monotone along a radius
    assert np.all(np.diff(bd[20, 20:35]) > 0) and np.all(np.diff(cd[20, 20:35]) > 0)


def test_object_at_frame_edge_counts_outside_as_background():
    m = np.zeros((10, 10), bool)
    m[:5, :5] = True  # touches the frame's top-left corner
    bd, _ = object_distances(m)
    assert bd[0, 0] > 0.5 and bd[2, 2] == 0.0


def test_frame_targets_shapes_background_small_objects():
    L = np.zeros((64, 64), np.int32)
    L[8:24, 8:24] = 3
    L[24:40, 8:24] = 5          # touches object 3: its pixels count as "not object 3"
    L[48:52, 48:52] = 7         # small (16 px)
    t = frame_targets(L, small_ids=[7], out=16)
    assert t.shape == (4, 16, 16) and t.dtype == np.float32
    assert np.allclose(t[:, 0, 15], [0, 1, 1, 0])               # background cell
    assert t[0, 12, 12] == 1.0 and t[3, 12, 12] == 0.0          # small: foreground, no distance weight
    assert t[3, 3, 3] == 1.0 and t[0, 3, 3] == 1.0
    # two touching squares: both have their own centre (boundary_distance low inside each)
    assert t[2, 3, 3] < 0.3 and t[2, 7, 3] < 0.3 and t[2, 5, 3] > 0.6 and t[2, 5, 3] > t[2, 4, 3]
    assert boxes(L)[5] == (24, 40, 8, 24)
    assert small_object_ids(L, 25) == [7]


def test_decoder_shapes_and_full_conv():
    torch.manual_seed(0)
    d = build_instance_decoder(dict(TINY, embed_chans=32)).eval()
    y = d(torch.randn(2, 32, 16, 16), torch.randn(2, 3, 256, 256))
    assert y.shape == (2, 3, 64, 64)


def test_export_tiny_contract(tmp_path):
    torch.manual_seed(0)
    d = build_instance_decoder(TINY).eval()
    p = str(tmp_path / "instance_decoder.onnx")
    export_instance_decoder(d, p)
    assert not d.training  # export must not leave the module in training mode
    m = onnx.load(p)
    onnx.checker.check_model(m)
    assert m.opset_import[0].version == OPSET == 17
    init = {i.name for i in m.graph.initializer}
    ins = [(i.name, [x.dim_value for x in i.type.tensor_type.shape.dim]) for i in m.graph.input if i.name not in init]
    outs = [(o.name, [x.dim_value for x in o.type.tensor_type.shape.dim]) for o in m.graph.output]
    assert ins == [("image_embeddings", [1, 256, 64, 64]), ("image", [1, 3, 1024, 1024])]
    assert outs == [(n, [1, 1, 256, 256]) for n in ("foreground", "center_distance", "boundary_distance")]
    assert all(i.type.tensor_type.elem_type == onnx.TensorProto.FLOAT for i in list(m.graph.input) + list(m.graph.output))
    # sigmoid in the graph; torch wrapper gives probabilities
    assert any(n.op_type == "Sigmoid" for n in m.graph.node)
    with torch.no_grad():
        o = InstanceDecoderOnnx(d).eval()(torch.randn(1, 256, 64, 64), torch.randn(1, 3, 1024, 1024))
    assert len(o) == 3 and all(t.shape == (1, 1, 256, 256) and 0 <= t.min() and t.max() <= 1 for t in o)


def test_full_size_decoder_is_small(tmp_path):
    d = build_instance_decoder().eval()
    p = str(tmp_path / "d.onnx")
    export_instance_decoder(d, p)
    assert os.path.getsize(p) < 3_000_000


@pytest.mark.parametrize("name", ["pecot-e2f", "usiigaci"])
def test_split_files(name):
    sp = json.load(open(os.path.join(HERE, f"split-{name}.json")))
    ids = sp["train"] + sp["val"]
    assert not set(sp["train"]) & set(sp["val"])
    order = sorted(ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    assert set(order[:int(round(len(ids) * 0.18))]) == set(sp["val"])
