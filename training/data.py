"""Data loading, preprocessing (identical to the Java side) and prompt sampling."""
import hashlib
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

INPUT_SIZE = 1024
PIXEL_MEAN = (123.675, 116.28, 103.53)
PIXEL_STD = (58.395, 57.12, 57.375)
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data", "dsb2018"))


def resized_size(h, w, size=INPUT_SIZE):
    s = size / max(h, w)
    return int(np.floor(h * s + 0.5)), int(np.floor(w * s + 0.5))


def to_rgb(arr):
    """HxW, HxWx1, HxWx3, HxWx4 -> HxWx3 float32 (grey replicated, alpha dropped)."""
    a = np.asarray(arr)
    if a.ndim == 2:
        a = a[:, :, None]
    if a.shape[2] == 1:
        a = np.repeat(a, 3, axis=2)
    elif a.shape[2] >= 4:
        a = a[:, :, :3]
    elif a.shape[2] == 2:
        a = np.repeat(a[:, :, :1], 3, axis=2)
    return a.astype(np.float32)


def stretch(a):
    """Per-channel min-max stretch to 0..255 (a constant channel becomes 0)."""
    out = np.zeros_like(a, dtype=np.float32)
    for c in range(a.shape[2]):
        ch = a[:, :, c]
        lo, hi = float(ch.min()), float(ch.max())
        if hi > lo:
            out[:, :, c] = (ch - lo) * (255.0 / (hi - lo))
    return out


def preprocess(arr, size=INPUT_SIZE):
    """image array -> (tensor [1,3,size,size], (new_h, new_w))."""
    a = stretch(to_rgb(arr))
    h, w = a.shape[:2]
    nh, nw = resized_size(h, w, size)
    t = torch.from_numpy(a).permute(2, 0, 1).unsqueeze(0)
    t = F.interpolate(t, size=(nh, nw), mode="bilinear", align_corners=False)
    mean = torch.tensor(PIXEL_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(PIXEL_STD).view(1, 3, 1, 1)
    t = (t - mean) / std
    t = F.pad(t, (0, size - nw, 0, size - nh))
    return t, (nh, nw)


def resize_labels(lab, nh, nw, size=INPUT_SIZE):
    """Nearest-neighbour (pixel-centre) resize of a label image into the padded size frame."""
    h, w = lab.shape
    ys = np.minimum(((np.arange(nh) + 0.5) * h / nh).astype(np.int64), h - 1)
    xs = np.minimum(((np.arange(nw) + 0.5) * w / nw).astype(np.int64), w - 1)
    out = np.zeros((size, size), dtype=lab.dtype)
    out[:nh, :nw] = lab[ys[:, None], xs[None, :]]
    return out


def postprocess(low_res, nh, nw, h, w, size=INPUT_SIZE):
    """low-res logits [B,K,256,256] -> logits at original size [B,K,h,w]."""
    m = F.interpolate(low_res, size=(size, size), mode="bilinear", align_corners=False)
    m = m[..., :nh, :nw]
    return F.interpolate(m, size=(h, w), mode="bilinear", align_corners=False)


# ----------------------------------------------------------------------------
def load_index(data_dir):
    with open(os.path.join(data_dir, "index.json")) as f:
        return json.load(f)


def make_split(ids, val_fraction=0.18):
    """Deterministic: ids ordered by sha256(id); the first val_fraction are validation."""
    order = sorted(ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    val = set(order[:int(round(len(ids) * val_fraction))])
    train = [i for i in ids if i not in val]
    return {"train": sorted(train), "val": sorted(val)}


def load_split(path=os.path.join(HERE, "split.json")):
    with open(path) as f:
        return json.load(f)


def load_pair(data_dir, id_):
    img = np.array(Image.open(os.path.join(data_dir, "images", id_ + ".png")))
    lab = np.array(Image.open(os.path.join(data_dir, "labels", id_ + ".png"))).astype(np.int32)
    return img, lab


# ----------------------------------------------------------------------------
# prompt sampling
def sample_error_points(pred, gt, gen=None):
    """pred, gt: bool tensors [B,H,W] (low-res frame, one cell = 4 px of the 1024 frame
    when called on a 256 frame). Returns (points [B,2] in cell units, i.e. (x, y) with
    the point inside cell (floor(x), floor(y)), labels [B] (1 = false negative -> fg,
    0 = false positive -> bg)). Prompts with no error get a random point of gt (label 1)
    or, if gt is empty, a random cell with label 0."""
    b, h, w = pred.shape
    err = pred ^ gt
    pts = torch.zeros(b, 2)
    labels = torch.zeros(b)
    for i in range(b):
        region = err[i] if err[i].any() else (gt[i] if gt[i].any() else torch.ones_like(gt[i]))
        idx = torch.nonzero(region.flatten(), as_tuple=False)[:, 0]
        j = idx[torch.randint(len(idx), (1,), generator=gen)].item()
        y, x = divmod(j, w)
        jit = torch.rand(2, generator=gen) * 0.8 + 0.1
        pts[i, 0] = x + jit[0]
        pts[i, 1] = y + jit[1]
        labels[i] = 1.0 if gt[i, y, x] else 0.0
    return pts, labels


def sample_fg_points(masks, gen=None):
    """masks bool [B,H,W] -> pixel-centre points [B,2] (x+0.5, y+0.5) of random fg pixels."""
    b, h, w = masks.shape
    pts = torch.zeros(b, 2)
    for i in range(b):
        idx = torch.nonzero(masks[i].flatten(), as_tuple=False)[:, 0]
        j = idx[torch.randint(len(idx), (1,), generator=gen)].item()
        y, x = divmod(j, w)
        pts[i, 0], pts[i, 1] = x + 0.5, y + 0.5
    return pts


def boxes_of(masks):
    """masks bool [B,H,W] -> boxes [B,4] (xmin, ymin, xmax+1, ymax+1)."""
    out = torch.zeros(masks.shape[0], 4)
    for i, m in enumerate(masks):
        ys = torch.nonzero(m.any(1))[:, 0]
        xs = torch.nonzero(m.any(0))[:, 0]
        out[i] = torch.tensor([xs.min().item(), ys.min().item(), xs.max().item() + 1, ys.max().item() + 1],
                              dtype=torch.float32)
    return out


def noisy_boxes(boxes, gen=None, frac=0.1, max_px=20.0):
    wh = (boxes[:, 2:] - boxes[:, :2]).repeat(1, 2)
    sd = torch.clamp(wh * frac, max=max_px)
    nb = boxes + torch.randn(boxes.shape, generator=gen) * sd
    x0 = torch.minimum(nb[:, 0], nb[:, 2] - 1)
    y0 = torch.minimum(nb[:, 1], nb[:, 3] - 1)
    return torch.stack([x0, y0, nb[:, 2], nb[:, 3]], 1)


# ----------------------------------------------------------------------------
def interior_point(mask):
    """Pixel farthest from the boundary (exact Euclidean distance to the nearest
    background pixel; outside the image counts as background). Ties -> first in
    row-major order. Returns (x, y) integer pixel indices."""
    m = np.pad(np.asarray(mask, bool), 1)
    ys, xs = np.nonzero(m)
    y0, y1, x0, x1 = ys.min() - 1, ys.max() + 2, xs.min() - 1, xs.max() + 2
    sub = m[y0:y1, x0:x1]
    fy, fx = np.nonzero(sub)
    # the nearest background pixel of any foreground pixel is a background pixel
    # with a foreground 4-neighbour: only those are candidates
    nb = np.zeros_like(sub)
    nb[1:] |= sub[:-1]
    nb[:-1] |= sub[1:]
    nb[:, 1:] |= sub[:, :-1]
    nb[:, :-1] |= sub[:, 1:]
    by, bx = np.nonzero(nb & ~sub)
    if len(fy) * len(by) > 4e7:  # huge, ragged masks: approximate on a subset of candidates
        step = int(np.ceil(len(fy) * len(by) / 4e7))
        fy, fx = fy[::step], fx[::step]
        step_b = max(1, int(np.ceil(len(by) / 20000)))
        by, bx = by[::step_b], bx[::step_b]
    best, bi = -1.0, 0
    for s in range(0, len(fy), 1024):
        d = (fy[s:s + 1024, None] - by[None]) ** 2 + (fx[s:s + 1024, None] - bx[None]) ** 2
        dm = d.min(1)
        k = int(np.argmax(dm))
        if dm[k] > best:
            best, bi = dm[k], s + k
    return int(fx[bi] + x0 - 1), int(fy[bi] + y0 - 1)
