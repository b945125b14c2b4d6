"""Writes a synthetic 16-bit TIFF stack of bright nuclei-like blobs that drift slowly through z,
for the memory benchmark of `sam-cli auto` on long stacks (scripts/bench-stack-memory.sh).

usage: python3 scripts/make_stack.py OUT.tif [--slices 100] [--size 2048] [--blobs 300] [--seed 0]
"""
import argparse

import numpy as np
from PIL import Image


def blob_slice(size, centres, radii, rng):
    img = rng.normal(800, 40, (size, size))
    for (cx, cy), r in zip(centres, radii):
        x0, x1 = max(0, int(cx - r - 2)), min(size, int(cx + r + 3))
        y0, y1 = max(0, int(cy - r - 2)), min(size, int(cy + r + 3))
        if x0 >= x1 or y0 >= y1:
            continue
        yy, xx = np.mgrid[y0:y1, x0:x1]
        d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
        # soft edge: full brightness inside, a 2 px ramp at the border
        img[y0:y1, x0:x1] += 2500 * np.clip((r - d) / 2 + 0.5, 0, 1)
    return np.clip(img, 0, 65535).astype(np.uint16)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--slices", type=int, default=100)
    ap.add_argument("--size", type=int, default=2048)
    ap.add_argument("--blobs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    centres = rng.uniform(20, a.size - 20, (a.blobs, 2))
    radii = rng.uniform(8, 22, a.blobs)
    pages = []
    for _ in range(a.slices):
        pages.append(Image.fromarray(blob_slice(a.size, centres, radii, rng)))
        centres = centres + rng.normal(0, 0.7, centres.shape)  # slow drift: objects persist through z
    pages[0].save(a.out, save_all=True, append_images=pages[1:])


if __name__ == "__main__":
    main()
