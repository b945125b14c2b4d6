"""Train the instance decoder (AIS) on the cached frozen-encoder embeddings (ais_cache.py).

  OMP_WAIT_POLICY=PASSIVE nice -n 5 /usr/bin/python3 training/train_ais.py \
      --cache /tmp/ais-cache --minutes 45 --out training/runs/ais-light

Each sample is a random crop (--crop px of the 1024 frame, offset a multiple of 16, inside the
image's resized region where possible) of one cached view: the embedding's cells, the encoder
input's pixels and the targets' 256-frame cells of the same window (the decoder is fully
convolutional). Sets are drawn with --set-weights (dsb2018, pecot-e2f, usiigaci), views
uniformly inside a set. Loss per batch:
  BCE + dice on foreground (soft pooled target)
  + w_dist * (MSE of center_distance and of boundary_distance on the pixels of objects with valid
    distances, weighted by ais_targets' distance_weight)
  + w_bg * (MSE to 1 of both distance maps on background cells)
Adam, lr cosine from --lr to 0 over the --minutes budget (elapsed time, resumable), checkpoint
to <out>/last.pt every --ckpt-every minutes (model, optimiser, step, elapsed). An "epoch" in the
log = as many crops as there are cached training views. Validation: the loss per set on fixed
crops of each validation view at every checkpoint, and on the full 1024 frames at the end
(summary.json).
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from sam_model.instance import build_instance_decoder  # noqa: E402

SETS = ("dsb2018", "pecot-e2f", "usiigaci")


class CachedSet:
    def __init__(self, d):
        self.d = d
        self.reload()

    def reload(self):
        if not os.path.exists(os.path.join(self.d, "meta.json")):  # not cached yet (ais_cache.py still running)
            self.views, self.complete = [], False
            return
        meta = json.load(open(os.path.join(self.d, "meta.json")))
        self.views = meta["views"]
        self.complete = len(self.views) == meta.get("total", len(self.views))
        self.emb = np.load(os.path.join(self.d, "emb.npy"), mmap_mode="r")
        self.img = np.load(os.path.join(self.d, "img.npy"), mmap_mode="r")
        self.tgt = np.load(os.path.join(self.d, "tgt.npy"), mmap_mode="r")

    def __len__(self):
        return len(self.views)

    def crop(self, i, oy, ox, c):
        """pixel offsets (multiples of 16) and size c of the 1024 frame -> (emb, img, tgt) float tensors."""
        e = self.emb[i, :, oy // 16:(oy + c) // 16, ox // 16:(ox + c) // 16]
        x = self.img[i, :, oy:oy + c, ox:ox + c]
        t = self.tgt[i, :, oy // 4:(oy + c) // 4, ox // 4:(ox + c) // 4]
        return (torch.from_numpy(np.ascontiguousarray(e, np.float32)),
                torch.from_numpy(np.ascontiguousarray(x, np.float32)),
                torch.from_numpy(np.ascontiguousarray(t, np.float32)))

    def random_offset(self, i, c, rng):
        v = self.views[i]
        oy = rng.randint(0, max(0, v["nh"] - c) // 16) * 16
        ox = rng.randint(0, max(0, v["nw"] - c) // 16) * 16
        return min(oy, 1024 - c), min(ox, 1024 - c)


def dice(p, t, eps=1.0):
    p, t = p.flatten(1), t.flatten(1)
    return 1.0 - (2 * (p * t).sum(1) + eps) / (p.sum(1) + t.sum(1) + eps)


def ais_loss(logits, tgt, w_dist=5.0, w_bg=1.0):
    """logits [B,3,h,w]; tgt [B,4,h,w] (fg, cd, bd, distance weight) -> (loss, dict of parts)."""
    fg_t, w = tgt[:, 0], tgt[:, 3]
    bce = F.binary_cross_entropy_with_logits(logits[:, 0], fg_t)
    dc = dice(torch.sigmoid(logits[:, 0]), fg_t).mean()
    p = torch.sigmoid(logits[:, 1:3])
    bg = (fg_t == 0).float()
    ws = w.sum().clamp(min=1.0)
    bs = bg.sum().clamp(min=1.0)
    cd = (w * (p[:, 0] - tgt[:, 1]) ** 2).sum() / ws
    bd = (w * (p[:, 1] - tgt[:, 2]) ** 2).sum() / ws
    bgl = (bg.unsqueeze(1) * (p - 1) ** 2).sum() / bs / 2
    loss = bce + dc + w_dist * (cd + bd) + w_bg * bgl
    return loss, {"loss": loss.item(), "bce": bce.item(), "dice": dc.item(), "cd": cd.item(), "bd": bd.item(),
                  "bg": bgl.item()}


def val_crops(ds, c):
    """Fixed windows per validation view: two crops of size c (or the whole frame if c = 1024)."""
    out = []
    for i, v in enumerate(ds.views):
        my, mx = max(0, v["nh"] - c) // 16 * 16, max(0, v["nw"] - c) // 16 * 16
        pos = [(0, 0)] if c >= 1024 else [(my // 3 // 16 * 16, mx // 3 // 16 * 16),
                                         (2 * my // 3 // 16 * 16, 2 * mx // 3 // 16 * 16)]
        out += [(i, min(oy, 1024 - c), min(ox, 1024 - c)) for oy, ox in pos]
    return out


@torch.no_grad()
def validate(model, sets, c, bs=4):
    model.eval()
    res = {}
    for name, ds in sets.items():
        parts = []
        crops = val_crops(ds, c)
        if not crops:
            continue
        for k in range(0, len(crops), bs):
            b = [ds.crop(i, oy, ox, c) for i, oy, ox in crops[k:k + bs]]
            lg = model(torch.stack([x[0] for x in b]), torch.stack([x[1] for x in b]))
            _, p = ais_loss(lg, torch.stack([x[2] for x in b]))
            parts.append((len(b), p))
        n = sum(k for k, _ in parts)
        res[name] = {key: round(sum(k * p[key] for k, p in parts) / n, 5) for key in parts[0][1]}
        res[name]["views"] = len(ds)
    model.train()
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/tmp/ais-cache")
    ap.add_argument("--out", default=os.path.join(HERE, "runs", "ais-light"))
    ap.add_argument("--minutes", type=float, default=45.0)
    ap.add_argument("--crop", type=int, default=256)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--set-weights", default="0.5,0.25,0.25")
    ap.add_argument("--ckpt-every", type=float, default=5.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--resume", action="store_true", help="continue <out>/last.pt (weights, optimiser, time)")
    ap.add_argument("--final-val-crop", type=int, default=1024)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    logf = open(os.path.join(args.out, "train.log"), "a")

    def log(*a):
        s = " ".join(str(x) for x in a)
        print(s, flush=True)
        logf.write(s + "\n")
        logf.flush()

    model = build_instance_decoder()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    step, elapsed0, seen = 0, 0.0, 0
    ck_path = os.path.join(args.out, "last.pt")
    if args.resume and os.path.exists(ck_path):
        ck = torch.load(ck_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, elapsed0, seen = ck["step"], ck["elapsed"], ck.get("seen", 0)
        rng.seed(args.seed + step)
        log(f"resumed at step {step}, {elapsed0:.0f}s")
    weights = [float(w) for w in args.set_weights.split(",")]
    train = {n: CachedSet(os.path.join(args.cache, f"{n}-train")) for n in SETS}
    val = {n: CachedSet(os.path.join(args.cache, f"{n}-val")) for n in SETS}
    log(f"args {vars(args)}, params {sum(p.numel() for p in model.parameters())}, train views "
        f"{ {n: len(d) for n, d in train.items()} }, val views { {n: len(d) for n, d in val.items()} }")

    def save():
        torch.save({"kind": "instance_decoder", "cfg": model.cfg, "model": model.state_dict(),
                    "opt": opt.state_dict(), "step": step, "elapsed": elapsed, "seen": seen, "args": vars(args),
                    "encoder_checkpoint": "training/runs/shared-bg/last.pt"}, ck_path + ".tmp")
        os.replace(ck_path + ".tmp", ck_path)

    budget = args.minutes * 60
    step0 = step
    t0 = time.time()
    last_ck = t0
    elapsed = elapsed0
    hist = []
    epoch_size = sum(len(d) for d in train.values())
    ep_t0, ep_seen = time.time(), 0
    model.train()
    while elapsed < budget:
        frac = elapsed / budget
        lr = args.lr * 0.5 * (1 + math.cos(math.pi * frac))
        for g in opt.param_groups:
            g["lr"] = lr
        b = []
        for _ in range(args.batch):
            n = rng.choices(SETS, [w if len(train[s]) else 0.0 for s, w in zip(SETS, weights)])[0]
            ds = train[n]
            i = rng.randrange(len(ds))
            oy, ox = ds.random_offset(i, args.crop, rng)
            b.append(ds.crop(i, oy, ox, args.crop))
        lg = model(torch.stack([x[0] for x in b]), torch.stack([x[1] for x in b]))
        loss, parts = ais_loss(lg, torch.stack([x[2] for x in b]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        seen += args.batch
        ep_seen += args.batch
        hist.append(parts)
        elapsed = elapsed0 + time.time() - t0
        if step % 25 == 0:
            h = {k: np.mean([p[k] for p in hist[-25:]]) for k in hist[-1]}
            log(f"step {step} t {elapsed:.0f}s lr {lr:.2e} " + " ".join(f"{k} {v:.4f}" for k, v in h.items()) +
                f" ({(time.time() - t0) / max(1, step - step0):.2f}s/step)")
        if ep_seen >= epoch_size:
            log(f"epoch {seen / epoch_size:.1f} done: {time.time() - ep_t0:.0f}s for {ep_seen} crops "
                f"({epoch_size} train views)")
            ep_t0, ep_seen = time.time(), 0
            for d in train.values():
                if not d.complete:
                    d.reload()
            epoch_size = sum(len(d) for d in train.values())
        if time.time() - last_ck > args.ckpt_every * 60:
            save()
            tv = time.time()
            for d in val.values():
                if not d.complete:
                    d.reload()
            log(f"checkpoint step {step}; val (fixed {args.crop}-crops) {json.dumps(validate(model, val, args.crop))} "
                f"({time.time() - tv:.0f}s)")
            last_ck = time.time()
    save()
    log(f"done: {step} steps, {seen} crops = {seen / max(1, epoch_size):.1f} epochs, {elapsed:.0f}s")
    tv = time.time()
    for d in val.values():
        d.reload()
    res = validate(model, val, args.final_val_crop, bs=1)
    log(f"final val (full {args.final_val_crop} frames) {json.dumps(res)} ({time.time() - tv:.0f}s)")
    summary = {"steps": step, "crops_seen": seen, "epochs": seen / max(1, epoch_size), "epoch_size": epoch_size,
               "train_seconds": elapsed, "val": res, "args": vars(args),
               "encoder_checkpoint": "training/runs/shared-bg/last.pt"}
    json.dump(summary, open(os.path.join(args.out, "summary.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
