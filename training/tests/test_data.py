import os

import numpy as np
import torch

from data import (preprocess, resized_size, sample_error_points, sample_fg_points, boxes_of, interior_point,
                  resize_labels, make_split, stretch, to_rgb, postprocess)


def test_resize_sizes_non_square():
    assert resized_size(256, 320) == (819, 1024)
    assert resized_size(1040, 1388) == (767, 1024)
    assert resized_size(603, 1272) == (485, 1024)
    assert resized_size(1024, 256) == (1024, 256)
    assert resized_size(256, 256) == (1024, 1024)


def test_preprocess_padding_and_normalisation():
    img = (np.arange(20 * 30) % 256).astype(np.uint8).reshape(20, 30)
    x, (nh, nw) = preprocess(img)
    assert x.shape == (1, 3, 1024, 1024) and (nh, nw) == (683, 1024)
    assert torch.all(x[:, :, nh:, :] == 0)
    assert torch.allclose(x[0, 0], x[0, 0])
    # grey replicated: channels differ only by mean/std
    r = x[0, 0, :nh, :nw] * 58.395 + 123.675
    g = x[0, 1, :nh, :nw] * 57.12 + 116.28
    assert torch.allclose(r, g, atol=1e-3)


def test_stretch_and_rgb():
    a = np.zeros((4, 4, 4), np.uint8)
    a[..., 0] = np.arange(16).reshape(4, 4) + 10
    a[..., 1] = 7  # constant -> 0
    s = stretch(to_rgb(a))
    assert s.shape == (4, 4, 3)
    assert s[..., 0].min() == 0 and s[..., 0].max() == 255
    assert np.all(s[..., 1] == 0)


def test_error_points_inside_error_region():
    g = torch.Generator().manual_seed(0)
    gt = torch.zeros(5, 32, 32, dtype=torch.bool)
    gt[:, 8:20, 8:20] = True
    pred = torch.zeros_like(gt)
    pred[:, 10:24, 6:18] = True
    for _ in range(20):
        pts, labels = sample_error_points(pred, gt, g)
        for (x, y), l in zip(pts.tolist(), labels.tolist()):
            cx, cy = int(np.floor(x)), int(np.floor(y))
            assert bool(pred[0, cy, cx]) != bool(gt[0, cy, cx])
            assert l == float(gt[0, cy, cx])


def test_fg_points_and_boxes():
    g = torch.Generator().manual_seed(0)
    m = torch.zeros(1, 16, 16, dtype=torch.bool)
    m[0, 3:6, 4:9] = True
    p = sample_fg_points(m, g)[0]
    assert m[0, int(p[1] - 0.5), int(p[0] - 0.5)]
    assert boxes_of(m)[0].tolist() == [4.0, 3.0, 9.0, 6.0]


def test_interior_point():
    m = np.zeros((40, 40), bool)
    m[5:16, 10:21] = True
    assert interior_point(m) == (15, 10)


def test_resize_labels_and_split():
    lab = np.arange(16, dtype=np.int32).reshape(4, 4)
    r = resize_labels(lab, 8, 8, size=10)
    assert r.shape == (10, 10) and r[0, 0] == 0 and r[7, 7] == 15 and r[9, 9] == 0
    s = make_split([f"id{i}" for i in range(100)], 0.2)
    assert len(s["val"]) == 20 and not set(s["val"]) & set(s["train"])
    assert s == make_split([f"id{i}" for i in range(100)][::-1], 0.2)


def test_postprocess_shape():
    low = torch.zeros(2, 1, 256, 256)
    assert postprocess(low, 767, 1024, 1040, 1388).shape == (2, 1, 1040, 1388)


def _two_object_crop():
    """A tiny model and a 64 x 64 label crop with two objects (seeded)."""
    import random

    from sam_model import build_sam

    torch.manual_seed(0)
    random.seed(0)
    model = build_sam("tiny_shared")
    c = 64
    L = torch.zeros(c, c, dtype=torch.int64)
    L[8:24, 8:24] = 1
    L[40:56, 30:50] = 2
    return model, L, c


def test_background_prompts_learn_an_empty_mask_and_keep_object_stats():
    """Background prompts: positive points on background pixels, empty target; the logged IoU
    statistics stay over the objects only, and the loss is finite and differentiable."""
    import argparse

    import train

    model, L, c = _two_object_crop()
    background = L == 0
    background[:, 60:] = False  # padding: never prompted
    x = torch.randn(1, 3, c, c)
    emb = model.encoder(x)
    args = argparse.Namespace(max_rounds=1, iou_head_only=False)
    gen = torch.Generator().manual_seed(0)
    loss, stats = train.run_prompts(model, emb, L, [1, 2], 0, 0, args, gen, "cpu", background, 3)
    assert torch.isfinite(loss)
    loss.backward()
    assert 0.0 <= stats["iou0"] <= 1.0 and 0.0 <= stats["bg_fp"] <= 1.0
    # without background prompts the same objects give the same kind of statistics and no bg_fp
    _, plain = train.run_prompts(model, emb, L, [1, 2], 0, 0, args, torch.Generator().manual_seed(0), "cpu")
    assert "bg_fp" not in plain


def test_background_points_fall_on_background_only():
    from data import sample_fg_points
    bg = torch.zeros(32, 32, dtype=torch.bool)
    bg[5, 7] = True
    bg[20, 3] = True
    pts = sample_fg_points(bg.expand(50, -1, -1), torch.Generator().manual_seed(1))
    cells = {(int(p[0]), int(p[1])) for p in pts}
    assert cells <= {(7, 5), (3, 20)} and len(cells) == 2


def test_crop_background_excludes_objects_and_padding(tmp_path):
    import random

    from PIL import Image

    import train
    os.makedirs(tmp_path / "images")
    os.makedirs(tmp_path / "labels")
    img = np.zeros((60, 100), np.uint8)
    lab = np.zeros((60, 100), np.uint16)
    img[10:30, 10:40] = 200
    lab[10:30, 10:40] = 1
    Image.fromarray(img).save(tmp_path / "images" / "a.png")
    Image.fromarray(lab).save(tmp_path / "labels" / "a.png")
    crops = train.Crops(str(tmp_path), ["a"], crop=1024, rng=random.Random(0), augment=True)
    for _ in range(4):
        x, L, objs, oy, ox, bg = crops.sample(4)
        assert objs == [1]
        assert not (bg & (L != 0)).any(), "no background prompt on an object"
        # the image fills 1024 x 614 of the frame; the rest is padding, whatever the rotation
        assert int(bg.sum()) == 1024 * 614 - int((L != 0).sum())


def test_iou_head_only_loss_reaches_only_the_iou_head():
    """--iou-head-only: the loss is the IoU head's error against each mask's IoU at the 1024-frame
    resolution; the masks are not trained (no gradient reaches the mask path)."""
    import argparse

    import train

    model, L, c = _two_object_crop()
    with torch.no_grad():
        emb = model.encoder(torch.randn(1, 3, c, c))
    args = argparse.Namespace(max_rounds=1, iou_head_only=True)
    loss, stats = train.run_prompts(model, emb, L, [1, 2], 0, 0, args, torch.Generator().manual_seed(0), "cpu")
    assert torch.isfinite(loss) and loss.item() >= 0
    loss.backward()
    assert 0.0 <= stats["iou_last"] <= 1.0 and 0.0 <= stats["iou_best"] <= 1.0
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in model.decoder.iou_head.parameters())
    # the hypernetworks only shape masks, whose IoU targets are detached: no gradient there
    assert all(p.grad is None or p.grad.abs().sum() == 0 for p in model.decoder.hyper.parameters())
