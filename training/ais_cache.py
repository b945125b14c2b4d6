"""Precompute the frozen encoder's embeddings + AIS targets for a fixed set of views per image.

  OMP_WAIT_POLICY=PASSIVE nice -n 5 /usr/bin/python3 training/ais_cache.py \
      --checkpoint training/runs/shared-bg/last.pt --cache /tmp/ais-cache

A view = one dihedral transform (rot90 k times, then optionally a left-right flip) of the WHOLE
original image, preprocessed exactly as at inference (data.preprocess: min-max stretch, bilinear
resize of the long side to 1024, normalise, zero-pad). The encoder is not rotation-equivariant,
so each view is encoded on its own. Views per training image: dsb2018 1 (a transform chosen by
sha256 of the id), pecot-e2f and usiigaci 4 (they have few images); validation images 1
(identity). Per set and split, under <cache>/<set>-<split>/: emb.npy fp16 [N,256,64,64],
img.npy fp16 [N,3,1024,1024] (the encoder's input), tgt.npy fp16 [N,4,256,256]
(ais_targets.CHANNELS), meta.json. Nothing of it belongs in the repository.
"""
import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from data import load_pair, preprocess, resize_labels  # noqa: E402
from ais_targets import frame_targets, small_object_ids  # noqa: E402

DATA_ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data"))
SETS = ("dsb2018", "pecot-e2f", "usiigaci")
VIEWS_PER_TRAIN_IMAGE = {"dsb2018": 1, "pecot-e2f": 4, "usiigaci": 4}


def split_of(name):
    return os.path.join(HERE, "split.json" if name == "dsb2018" else f"split-{name}.json")


def dihedral(a, g):
    """g in 0..7: rot90 by g % 4 (numpy's rot90 on the first two axes), then fliplr if g >= 4."""
    a = np.rot90(a, g % 4, axes=(0, 1))
    if g >= 4:
        a = a[:, ::-1]
    return np.ascontiguousarray(a)


def views_for(name, split, ids):
    out = []
    for id_ in ids:
        hsh = int(hashlib.sha256(id_.encode()).hexdigest(), 16)
        if split == "val":
            gs = [0]
        else:
            n = VIEWS_PER_TRAIN_IMAGE[name]
            first = hsh % 8
            gs = [(first + 2 * j + (j >= 2)) % 8 for j in range(n)] if n > 1 else [first]
        out += [(id_, g) for g in gs]
    return out


def build(name, split, encoder, cache, data_root, limit=0, log=print):
    ids = json.load(open(split_of(name)))[split]
    if limit:
        ids = ids[:limit]
    views = views_for(name, split, ids)
    d = os.path.join(cache, f"{name}-{split}")
    os.makedirs(d, exist_ok=True)
    meta_p = os.path.join(d, "meta.json")
    if os.path.exists(meta_p) and len(json.load(open(meta_p))["views"]) == len(views):
        log(f"{name}-{split}: cached ({len(views)} views)")
        return
    n = len(views)
    emb = np.lib.format.open_memmap(os.path.join(d, "emb.npy"), "w+", np.float16, (n, 256, 64, 64))
    img = np.lib.format.open_memmap(os.path.join(d, "img.npy"), "w+", np.float16, (n, 3, 1024, 1024))
    tgt = np.lib.format.open_memmap(os.path.join(d, "tgt.npy"), "w+", np.float16, (n, 4, 256, 256))
    meta = []
    t0 = time.time()
    for i, (id_, g) in enumerate(views):
        im, lab = load_pair(os.path.join(data_root, name), id_)
        small = small_object_ids(lab)
        im, lab = dihedral(im, g), dihedral(lab, g)
        x, (nh, nw) = preprocess(im)
        L = resize_labels(lab, nh, nw)
        with torch.no_grad():
            e = encoder(x)
        emb[i] = e[0].numpy().astype(np.float16)
        img[i] = x[0].numpy().astype(np.float16)
        tgt[i] = frame_targets(L, small).astype(np.float16)
        meta.append({"id": id_, "g": g, "nh": nh, "nw": nw, "objects": int(len(np.unique(lab)) - 1),
                     "small": len(small)})
        if (i + 1) % 20 == 0 or i + 1 == n:
            for a in (emb, img, tgt):
                a.flush()
            # written as it grows: train_ais.py uses the views listed here (complete = all listed)
            json.dump({"set": name, "split": split, "total": n, "views": meta}, open(meta_p + ".part", "w"))
            os.replace(meta_p + ".part", meta_p)
            log(f"{name}-{split}: {i + 1}/{n} views, {(time.time() - t0) / (i + 1):.2f} s/view")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default=os.path.join(HERE, "runs", "shared-bg", "last.pt"))
    ap.add_argument("--cache", default="/tmp/ais-cache")
    ap.add_argument("--data-root", default=DATA_ROOT)
    ap.add_argument("--limit", type=int, default=0, help="images per set and split (0 = all; smoke tests)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    from train import load_checkpoint
    encoder = load_checkpoint(args.checkpoint).encoder.eval()
    for name, split in [(n, "val") for n in SETS] + [("pecot-e2f", "train"), ("usiigaci", "train"),
                                                    ("dsb2018", "train")]:
        build(name, split, encoder, args.cache, args.data_root, args.limit, log=lambda *a: print(*a, flush=True))


if __name__ == "__main__":
    main()
