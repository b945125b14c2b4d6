"""Targets of the instance decoder (AIS): foreground, center_distance, boundary_distance.

Definitions (per object, on the instance-label image of the padded 1024 frame):
- d(p) = exact Euclidean distance from pixel p of the object to the nearest pixel that is not
  in the object (background, another object, or outside the frame), pixel centres; d >= 1
  inside. m = max d over the object; the centre c is the pixel where d = m (ties: first in
  row-major order, as data.interior_point).
- boundary_distance = 1 - d / m: 0 at the centre, 1 - 1/m on the object's outermost pixels
  (-> 1 at the boundary), 1 on background.
- center_distance = |p - c| / max_q |q - c| over the object's pixels: 0 at the centre, 1 at the
  object's farthest pixel, 1 on background.
- foreground = 1 on object pixels.
All three are computed at 1024-frame resolution and then average-pooled 4 x 4 to the 256 x 256
output frame (soft targets: a cell on an object border mixes the object's values with the
background's 1 / 0). Objects with fewer than `min_area` pixels at the ORIGINAL label resolution
count as foreground but are left out of the distance channels: their pixels get weight 0 in the
fourth channel, `distance_weight` (the pooled share of each cell that belongs to an object whose
distances are valid).
"""
import numpy as np
import torch
import torch.nn.functional as F

MIN_AREA = 25
CHANNELS = ("foreground", "center_distance", "boundary_distance", "distance_weight")


def edt(sub):
    """Exact Euclidean distance transform: for each True pixel of the bool image `sub`, the
    distance to the nearest False pixel (sub must have at least one False pixel in each
    direction, e.g. a one-pixel False ring). Separable: per column the 1-D distance, then per
    row the exact minimum of (x - x')^2 + g(x')^2 over all x' (brute force, chunked)."""
    h, w = sub.shape
    big = h + w
    g = np.where(sub, big, 0).astype(np.int64)
    for y in range(1, h):
        g[y] = np.where(sub[y], g[y - 1] + 1, 0)
    for y in range(h - 2, -1, -1):
        g[y] = np.minimum(g[y], g[y + 1] + 1)
    g2 = (g * g).astype(np.float64)
    dx2 = (np.arange(w)[:, None] - np.arange(w)[None, :]) ** 2  # [x, x']
    out = np.empty((h, w), np.float64)
    step = max(1, int(4e6 // (w * w)))
    for y in range(0, h, step):
        out[y:y + step] = (g2[y:y + step, None, :] + dx2[None]).min(-1)
    return np.sqrt(out)


def object_distances(mask):
    """mask: bool [h,w] of ONE object (outside counts as not-object).
    -> (boundary_distance, center_distance) float32 [h,w], defined on the mask (1 elsewhere)."""
    mask = np.asarray(mask, bool)
    bd = np.ones(mask.shape, np.float32)
    cd = np.ones(mask.shape, np.float32)
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return bd, cd
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    sub = np.pad(mask[y0:y1, x0:x1], 1)  # a ring of not-object pixels: the nearest one is always inside
    d = edt(sub)[1:-1, 1:-1]
    m = float(d.max())
    k = int(np.argmax(d))  # first maximum in row-major order
    cy, cx = divmod(k, d.shape[1])
    inside = sub[1:-1, 1:-1]
    yy, xx = np.nonzero(inside)
    r = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
    rmax = float(r.max())
    b = bd[y0:y1, x0:x1]
    c = cd[y0:y1, x0:x1]
    b[yy, xx] = 1.0 - d[yy, xx] / m
    c[yy, xx] = r / rmax if rmax > 0 else 0.0
    return bd, cd


def frame_targets(L, small_ids=(), out=256):
    """L: int label image of the padded frame [S,S] (0 = background). small_ids: object ids left
    out of the distance channels. -> float32 [4, out, out]: foreground, center_distance,
    boundary_distance, distance_weight (average-pooled S/out x S/out)."""
    L = np.asarray(L)
    S = L.shape[0]
    fg = (L > 0).astype(np.float32)
    bd = np.ones(L.shape, np.float32)
    cd = np.ones(L.shape, np.float32)
    w = np.zeros(L.shape, np.float32)
    small = set(int(i) for i in small_ids)
    for oid, (ya, yb, xa, xb) in boxes(L).items():
        sub = L[ya:yb, xa:xb] == oid
        if oid in small:
            bd[ya:yb, xa:xb][sub] = 0.5
            cd[ya:yb, xa:xb][sub] = 0.5
            continue
        b, c = object_distances(sub)
        bd[ya:yb, xa:xb][sub] = b[sub]
        cd[ya:yb, xa:xb][sub] = c[sub]
        w[ya:yb, xa:xb][sub] = 1.0
    t = torch.from_numpy(np.stack([fg, cd, bd, w]))[None]
    k = S // out
    return F.avg_pool2d(t, k)[0].numpy()


def boxes(L):
    """{object id: (y0, y1, x0, x1)} bounding boxes (end exclusive) of the non-zero ids."""
    L = np.asarray(L)
    flat = L.ravel()
    nz = np.flatnonzero(flat)
    if len(nz) == 0:
        return {}
    ids = flat[nz]
    ys, xs = np.divmod(nz, L.shape[1])
    order = np.argsort(ids, kind="stable")
    ids, ys, xs = ids[order], ys[order], xs[order]
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    ends = np.r_[starts[1:], len(ids)]
    return {int(ids[a]): (int(ys[a:b].min()), int(ys[a:b].max()) + 1, int(xs[a:b].min()), int(xs[a:b].max()) + 1)
            for a, b in zip(starts, ends)}


def small_object_ids(lab, min_area=MIN_AREA):
    """Ids of objects with fewer than min_area pixels in the original label image."""
    ids, cnt = np.unique(np.asarray(lab), return_counts=True)
    return [int(i) for i, n in zip(ids, cnt) if i != 0 and n < min_area]
