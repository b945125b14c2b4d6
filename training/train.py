"""Train the default (light) SAM-style model on DSB2018 nuclei.

  /usr/bin/python3 training/train.py --minutes 60 --out training/runs/light-60min

Runs on CUDA when available, else CPU (2 threads). Trains on 512x512 crops of the
1024x1024 preprocessed frame (the encoder is fully convolutional and the decoder's
image positional encoding is evaluated on the crop's cells of the 64x64 grid, so a
crop is exactly a window of the full-frame computation up to encoder border effects).
"""
import argparse
import json
import os
import random
import sys
import time
import warnings

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from data import (DEFAULT_DATA, load_pair, load_split, preprocess, resize_labels, sample_error_points,  # noqa
                  sample_fg_points, boxes_of, noisy_boxes)
from losses import mask_loss, true_iou  # noqa: E402
from sam_model import build_sam, Sam  # noqa: E402


def load_checkpoint(path, device="cpu"):
    ck = torch.load(path, map_location=device)
    m = Sam(ck["cfg"])
    m.load_state_dict(ck["model"])
    return m.eval()


def warm_start(model, old):
    """Copy the tensors of a checkpoint into a model of a related config. Same shape: copied.
    An output layer grown along dim 0 (e.g. hypernetwork outputs of the "shared" head): old rows
    copied, new rows zero, so the new outputs start neutral. Returns a one-line report."""
    new = model.state_dict()
    copied, grown, fresh = 0, [], []
    for k, v in new.items():
        o = old.get(k)
        if o is not None and o.shape == v.shape:
            v.copy_(o)
            copied += 1
        elif o is not None and o.dim() == v.dim() and o.shape[0] < v.shape[0] and o.shape[1:] == v.shape[1:]:
            v.zero_()
            v[:o.shape[0]].copy_(o)
            grown.append(k)
        else:
            fresh.append(k)
    model.load_state_dict(new)
    return f"warm start: {copied} tensors copied, grown {grown}, new {fresh}"


class Crops:
    def __init__(self, data_dir, ids, crop=512, rng=None, augment=False):
        self.data_dir, self.ids, self.crop, self.augment = data_dir, ids, crop, augment
        self.rng = rng or random.Random(0)
        self.cache = {}

    def get(self, id_):
        if id_ not in self.cache:
            self.cache[id_] = load_pair(self.data_dir, id_)
        return self.cache[id_]

    def sample(self, k):
        """-> image crop [3,c,c], label crop [c,c] (int), object ids (<= k), cell offsets,
        background [c,c] bool (pixels of the image, not of the padding, with no object)."""
        c = self.crop
        while True:
            id_ = self.rng.choice(self.ids)
            img, lab = self.get(id_)
            x, (nh, nw) = preprocess(img)
            L = resize_labels(lab, nh, nw)
            oy = self.rng.randint(0, max(0, nh - c) // 16) * 16
            ox = self.rng.randint(0, max(0, nw - c) // 16) * 16
            Lc = L[oy:oy + c, ox:ox + c]
            ids_, cnt = np.unique(Lc, return_counts=True)
            full = dict(zip(*np.unique(L, return_counts=True)))
            good = [i for i, n in zip(ids_, cnt) if i != 0 and n >= 16 and n >= 0.9 * full[i]]
            if not good:
                continue
            self.rng.shuffle(good)
            xc, Lt = x[0, :, oy:oy + c, ox:ox + c], torch.from_numpy(Lc.astype(np.int64))
            inside = torch.zeros(c, c, dtype=torch.bool)
            inside[:max(0, nh - oy), :max(0, nw - ox)] = True
            if self.augment:
                # dihedral augmentation (nuclei have no orientation); the crop stays on the same
                # cells, so the positional encoding keeps matching the rotated content's place.
                r = self.rng.randrange(4)
                xc, Lt, inside = torch.rot90(xc, r, (1, 2)), torch.rot90(Lt, r, (0, 1)), torch.rot90(inside, r, (0, 1))
                if self.rng.random() < 0.5:
                    xc, Lt, inside = xc.flip(2), Lt.flip(1), inside.flip(1)
                xc, Lt, inside = xc.contiguous(), Lt.contiguous(), inside.contiguous()
            return xc, Lt, good[:k], oy, ox, inside & (Lt == 0)


def run_prompts(model, emb, L, objs, oy, ox, args, gen, device, background=None, n_background=0):
    """Simulated interactive session for the objects of one crop. Returns loss, stats.

    n_background extra prompts are positive points on background pixels with an empty target:
    automatic mask generation puts grid points everywhere, and a model that never saw a point
    off the objects answers those with confident junk masks. Trained this way it answers with
    an empty mask and a predicted IoU near 0, which the AMG filters remove."""
    n_obj = len(objs)
    masks = torch.stack([L == o for o in objs])  # [B,c,c] bool (1024 frame px)
    if n_background and background is not None and background.any():
        masks = torch.cat([masks, torch.zeros((n_background,) + masks.shape[1:], dtype=torch.bool)])
    b = masks.shape[0]
    target = F.avg_pool2d(masks.float().unsqueeze(1), 4)[:, 0].to(device)  # [B,c/4,c/4]
    gt_low = target > 0.5
    lc = target.shape[-1]
    off = torch.tensor([ox, oy], dtype=torch.float32)
    # first prompt: random fg point (+padding) or noisy box
    use_box = torch.rand(b, generator=gen) < 0.5
    use_box[n_obj:] = False
    pts = sample_fg_points(masks[:n_obj], gen)
    bx = noisy_boxes(boxes_of(masks[:n_obj]), gen)
    if b > n_obj:
        pts = torch.cat([pts, sample_fg_points(background.expand(b - n_obj, -1, -1), gen)])
    coords = torch.zeros(b, 2, 2)
    labels = torch.zeros(b, 2)
    for i in range(b):
        if use_box[i]:
            coords[i, 0], coords[i, 1] = bx[i, :2], bx[i, 2:]
            labels[i] = torch.tensor([2.0, 3.0])
        else:
            coords[i, 0] = pts[i]
            labels[i] = torch.tensor([1.0, -1.0])
    coords = coords + off
    cy, cx = oy // 16, ox // 16
    zero_m = torch.zeros(b, 1, lc, lc, device=device)
    lr, iou = model.decode(emb, coords.to(device), labels.to(device), zero_m, torch.zeros(b, device=device), cy, cx)
    if args.iou_head_only:
        # Masks are frozen; the IoU head learns the IoU each mask really has at the 1024-frame
        # resolution (bilinear x4, as the plugin upsamples), not on the soft 1/4-resolution
        # targets: that is what ranks a lone point's ambiguity masks and filters AMG masks.
        up = F.interpolate(lr.detach(), scale_factor=4, mode="bilinear", align_corners=False)
        thr = true_iou(up, masks.to(device).unsqueeze(1).float())
        stats = {"iou0": thr[:n_obj, 0].mean().item(), "iou_best": thr[:n_obj, 1:].max(1)[0].mean().item(),
                 # how often the predicted IoU picks the best of tokens 1..3 for the objects
                 "iou_last": (iou[:n_obj, 1:].argmax(1) == thr[:n_obj, 1:].argmax(1)).float().mean().item()}
        return F.mse_loss(iou, thr), stats
    tgt = target.unsqueeze(1).expand(-1, 4, -1, -1)
    ml = mask_loss(lr, tgt)  # [B,4]
    tiou = true_iou(lr.detach(), tgt)
    best, _ = ml[:, 1:].min(1)
    loss = (best + ml[:, 0]).mean() + F.mse_loss(iou, tiou)
    # IoU statistics over the objects only (a background prompt's true IoU is 0 by definition)
    stats = {"iou0": tiou[:n_obj, 0].mean().item(), "iou_best": tiou[:n_obj, 1:].max(1)[0].mean().item()}
    # choose the mask to feed back: highest predicted IoU among tokens 1..3
    sel = iou[:, 1:].argmax(1) + 1
    prev = lr[torch.arange(b), sel].detach().unsqueeze(1)
    rounds = random.randint(1, args.max_rounds)
    for r in range(rounds):
        last = r == rounds - 1
        if not (last and random.random() < 0.2):  # final round may add no new point
            p, pl = sample_error_points(prev[:, 0].cpu() > 0, gt_low.cpu(), gen)
            p = p * 4 + off
            coords = torch.cat([coords, p.unsqueeze(1)], 1)
            labels = torch.cat([labels, pl.unsqueeze(1)], 1)
        with torch.set_grad_enabled(last):
            lr, iou = model.decode(emb if last else emb.detach(), coords.to(device), labels.to(device), prev,
                                   torch.ones(b, device=device), cy, cx)
        if last:
            l0 = mask_loss(lr[:, 0], target)
            ti = true_iou(lr[:, 0].detach(), target)
            loss = loss + l0.mean() + F.mse_loss(iou[:, 0], ti)
            stats["iou_last"] = ti[:n_obj].mean().item()
            if b > n_obj:  # fraction of background prompts still answered with a non-empty mask
                stats["bg_fp"] = (lr[n_obj:, 0] > 0).flatten(1).any(1).float().mean().item()
            stats["rounds"] = rounds
        prev = lr[:, :1].detach()
    return loss, stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--arch", default="light")
    ap.add_argument("--out", default=os.path.join(HERE, "runs", "light"))
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--crops", type=int, default=2, help="crops (images) per step")
    ap.add_argument("--crop", type=int, default=512)
    ap.add_argument("--prompts", type=int, default=16, help="objects per crop")
    ap.add_argument("--max-rounds", type=int, default=6)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--wd", type=float, default=0.05)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--ckpt-every", type=float, default=5.0, help="minutes")
    ap.add_argument("--eval-images", type=int, default=0, help="0 = whole validation split")
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--resume", default="")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", default="", help="warm start from a checkpoint of another config: tensors of "
                    "the same shape are copied, grown output layers keep the old rows, new rows start at 0")
    ap.add_argument("--augment", action="store_true", help="random rotations by 90 degrees and flips")
    ap.add_argument("--background-prompts", type=int, default=0,
                    help="per crop, positive points on background pixels trained to give an empty mask")
    ap.add_argument("--iou-head-only", action="store_true",
                    help="train only the IoU head (everything else frozen, BatchNorm statistics too) on the true "
                         "IoU of each mask at the 1024-frame resolution; first prompts only. The log's iou_last "
                         "is then the share of objects whose best mask of tokens 1..3 has the highest predicted IoU")
    args = ap.parse_args()

    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.set_num_threads(2)
    if os.environ.get("NO_FLUSH_DENORMAL") is None:
        torch.set_flush_denormal(True)  # denormals make CPU training several times slower
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    logf = open(os.path.join(args.out, "train.log"), "a")

    def log(*a):
        s = " ".join(str(x) for x in a)
        print(s, flush=True)
        logf.write(s + "\n")
        logf.flush()

    model = build_sam(args.arch).to(device)
    if args.resume:
        model.load_state_dict(torch.load(args.resume, map_location=device)["model"])
    elif args.init:
        log_init = warm_start(model, torch.load(args.init, map_location=device)["model"])
    if args.iou_head_only:
        for name, prm in model.named_parameters():
            prm.requires_grad_(name.startswith("decoder.iou_head."))
    opt = torch.optim.AdamW([q for q in model.parameters() if q.requires_grad], lr=args.lr, weight_decay=args.wd)
    split = load_split()
    crops = Crops(args.data, split["train"], args.crop, random.Random(args.seed), args.augment)
    if args.init and not args.resume:
        log(log_init)
    log(f"device {device}, args {vars(args)}, params {sum(p.numel() for p in model.parameters()) / 1e6:.2f}M")

    def save(name):
        torch.save({"cfg": model.cfg, "model": model.state_dict(), "step": step, "args": vars(args)},
                   os.path.join(args.out, name))

    budget = args.minutes * 60
    t0 = time.time()
    last_ck = t0
    step = 0
    hist = []
    t_data = 0.0
    while True:
        el = time.time() - t0
        frac = el / budget
        if frac >= 1.0 or (args.max_steps and step >= args.max_steps):
            break
        if args.max_steps:
            frac = max(frac, step / args.max_steps)
        lr = args.lr * min(1.0, (step + 1) / args.warmup) * (0.1 if frac > 0.8 else 1.0) * (0.1 if frac > 0.95 else 1.0)
        for g in opt.param_groups:
            g["lr"] = lr
        model.eval() if args.iou_head_only else model.train()
        td = time.time()
        batch = [crops.sample(args.prompts) for _ in range(args.crops)]
        t_data += time.time() - td
        x = torch.stack([b[0] for b in batch]).to(device)
        with torch.set_grad_enabled(not args.iou_head_only):
            emb = model.encoder(x)
        loss = 0.0
        st = []
        for i, (_, L, objs, oy, ox, bg) in enumerate(batch):
            l, s = run_prompts(model, emb[i:i + 1], L, objs, oy, ox, args, gen, device, bg, args.background_prompts)
            loss = loss + l
            st.append(s)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        hist.append([loss.item()] + [np.mean([s.get(k, np.nan) for s in st]) for k in ("iou0", "iou_best", "iou_last",
                                                                                        "bg_fp")])
        if step % 10 == 0:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # bg_fp: all-NaN without background prompts
                h = np.nanmean(hist[-10:], 0)
            log(f"step {step} t {time.time() - t0:.0f}s lr {lr:.2e} loss {h[0]:.4f} iou0 {h[1]:.3f} "
                f"iou_best {h[2]:.3f} iou_last {h[3]:.3f}" + (f" bg_fp {h[4]:.3f}" if args.background_prompts else "") +
                f" ({(time.time() - t0) / step:.2f}s/step, data {t_data / step:.2f}s/step)")
        if time.time() - last_ck > args.ckpt_every * 60:
            save("last.pt")
            last_ck = time.time()
    train_s = time.time() - t0
    save("last.pt")
    log(f"done: {step} steps in {train_s:.0f}s")
    summary = {"steps": step, "train_seconds": train_s, "device": device, "args": vars(args)}
    if not args.no_eval:
        from evaluate import evaluate
        ids = split["val"][:args.eval_images] if args.eval_images else split["val"]
        model.eval()
        r = evaluate(model.cpu(), args.data, ids, log=log)
        summary["eval"] = r
        log("eval", json.dumps(r))
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
