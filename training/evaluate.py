"""Prompted evaluation on the validation split: mean IoU per object for
1 point (interior point), 1 box, and 1 point + k corrective points."""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import (DEFAULT_DATA, load_pair, load_split, postprocess, preprocess, interior_point)  # noqa: E402


def _iou(a, b):
    u = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / u) if u else 1.0


@torch.no_grad()
def evaluate(model, data_dir, ids, corrective=5, chunk=32, log=print):
    model.eval()
    res = {"point": [], "box": [], "iter": [[] for _ in range(corrective)]}
    t0 = time.time()
    for n, id_ in enumerate(ids):
        img, lab = load_pair(data_dir, id_)
        h, w = lab.shape
        x, (nh, nw) = preprocess(img)
        emb = model.encoder(x)
        sx, sy = nw / w, nh / h
        objs = [o for o in np.unique(lab) if o != 0]
        for c in range(0, len(objs), chunk):
            sel = objs[c:c + chunk]
            gts = [lab == o for o in sel]
            b = len(sel)
            pts = np.array([interior_point(g) for g in gts], np.float32) + 0.5
            boxes = []
            for g in gts:
                ys, xs = np.nonzero(g)
                boxes.append([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1])
            boxes = np.array(boxes, np.float32)
            zero_m = torch.zeros(b, 1, 256, 256)
            # 1 point (+ padding point), multimask: pick best predicted IoU of tokens 1..3
            coords = torch.zeros(b, 2, 2)
            coords[:, 0, 0] = torch.from_numpy(pts[:, 0] * sx)
            coords[:, 0, 1] = torch.from_numpy(pts[:, 1] * sy)
            labels = torch.tensor([[1.0, -1.0]]).repeat(b, 1)
            lr, iou = model.decode(emb, coords, labels, zero_m, torch.zeros(b))
            best = iou[:, 1:].argmax(1) + 1
            low = lr[torch.arange(b), best].unsqueeze(1)
            full = postprocess(low, nh, nw, h, w)[:, 0].numpy() > 0
            for i in range(b):
                res["point"].append(_iou(full[i], gts[i]))
            # box, single mask token 0
            bc = torch.from_numpy(boxes).view(b, 2, 2) * torch.tensor([sx, sy])
            bl = torch.tensor([[2.0, 3.0]]).repeat(b, 1)
            blr, _ = model.decode(emb, bc, bl, zero_m, torch.zeros(b))
            bfull = postprocess(blr[:, :1], nh, nw, h, w)[:, 0].numpy() > 0
            for i in range(b):
                res["box"].append(_iou(bfull[i], gts[i]))
            # corrective points: centre (interior point) of the error region
            p_coords = [[(pts[i, 0], pts[i, 1], 1.0)] for i in range(b)]
            cur = full
            for k in range(corrective):
                for i in range(b):
                    err = cur[i] ^ gts[i]
                    if err.any():
                        ex, ey = interior_point(err)
                        p_coords[i].append((ex + 0.5, ey + 0.5, 1.0 if gts[i][ey, ex] else 0.0))
                    else:  # already perfect: repeat the last point
                        p_coords[i].append(p_coords[i][-1])
                npt = len(p_coords[0])
                coords = torch.zeros(b, npt + 1, 2)
                labels = torch.full((b, npt + 1), -1.0)
                for i in range(b):
                    for j, (px, py, pl) in enumerate(p_coords[i]):
                        coords[i, j, 0], coords[i, j, 1], labels[i, j] = px * sx, py * sy, pl
                lr, _ = model.decode(emb, coords, labels, low, torch.ones(b))
                low = lr[:, :1]
                cur = postprocess(low, nh, nw, h, w)[:, 0].numpy() > 0
                for i in range(b):
                    res["iter"][k].append(_iou(cur[i], gts[i]))
        if (n + 1) % 10 == 0:
            log(f"eval {n + 1}/{len(ids)} images, point {np.mean(res['point']):.4f} box {np.mean(res['box']):.4f} "
                f"iter{corrective} {np.mean(res['iter'][-1]) if corrective else 0:.4f} ({time.time() - t0:.0f}s)")
    out = {"images": len(ids), "objects": len(res["point"]),
           "miou_1point": float(np.mean(res["point"])), "miou_box": float(np.mean(res["box"])),
           "miou_corrective": [float(np.mean(r)) for r in res["iter"]],
           "seconds": time.time() - t0}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--max-images", type=int, default=0)
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    torch.set_num_threads(2)
    from train import load_checkpoint
    model = load_checkpoint(args.checkpoint)
    ids = load_split()["val"]
    if args.max_images:
        ids = ids[:args.max_images]
    r = evaluate(model, args.data, ids)
    print(json.dumps(r, indent=1))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(r, f, indent=1)


if __name__ == "__main__":
    main()
