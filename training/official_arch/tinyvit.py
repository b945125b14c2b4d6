"""TinyViT image encoder of MobileSAM (and micro-sam vit_t), written from the architecture with
the parameter names and shapes of the official checkpoints:

  patch_embed  two 3x3/2 convolutions with batch norm (GELU between): 1024 -> 256, C0 channels
  layers.0     inverted-residual blocks (1x1 expand x4, 3x3 depthwise, 1x1 project; batch norm
               after each, GELU, residual then GELU), then a patch merging to C1 at stride 2
  layers.1..3  transformer blocks: windowed attention (no padding needed at these sizes but
               supported) with a learned bias per head and per |dy|,|dx| offset, residual;
               3x3 depthwise conv + batch norm; pre-norm MLP, residual. Patch merging between
               stages (1x1 conv, 3x3 depthwise at stride 2 — stride 1 into the widths 320, 448
               and 576, as the checkpoints have it — 1x1 conv; GELU between)
  neck         as SAM's ViT neck, to 256 channels at 64 x 64
  norm_head / head  the classifier of the ImageNet pre-training: in the checkpoints, unused.

The attention bias table is always read from the loaded attention_biases. (The official Attention
caches it when put in eval mode, so the official model gives these outputs only when eval() is
called after the checkpoint is loaded, as MobileSAM's README does.)

Batch norm is written out as arithmetic (not a BatchNormalization node), so the ONNX exporter's
conv+bn fusion cannot rename the checkpoint tensors in the template.
"""
import itertools
from dataclasses import dataclass
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass(frozen=True)
class TinyVitConfig:
    embed_dims: Tuple[int, ...] = (64, 128, 160, 320)
    depths: Tuple[int, ...] = (2, 2, 6, 2)
    num_heads: Tuple[int, ...] = (2, 4, 5, 10)
    window_sizes: Tuple[int, ...] = (7, 7, 14, 7)
    mlp_ratio: float = 4.0
    mbconv_expand_ratio: float = 4.0
    num_classes: int = 1000
    img_size: int = 1024


class ConvBN(nn.Module):
    """Convolution without bias, then batch norm (inference statistics): names c.* and bn.*."""

    def __init__(self, a, b, k=1, stride=1, pad=0, groups=1):
        super().__init__()
        self.c = nn.Conv2d(a, b, k, stride, pad, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(b)

    def forward(self, x):
        bn = self.bn
        x = self.c(x)
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        return x * scale[None, :, None, None] + (bn.bias - bn.running_mean * scale)[None, :, None, None]


class PatchEmbed(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.seq = nn.Sequential(ConvBN(3, c // 2, 3, 2, 1), nn.GELU(), ConvBN(c // 2, c, 3, 2, 1))

    def forward(self, x):
        return self.seq(x)


class MBConv(nn.Module):
    def __init__(self, c, ratio):
        super().__init__()
        h = int(c * ratio)
        self.conv1 = ConvBN(c, h)
        self.conv2 = ConvBN(h, h, 3, 1, 1, groups=h)
        self.conv3 = ConvBN(h, c)

    def forward(self, x):
        y = F.gelu(self.conv2(F.gelu(self.conv1(x))))
        return F.gelu(self.conv3(y) + x)


class PatchMerging(nn.Module):
    def __init__(self, res, dim, out_dim):
        super().__init__()
        self.res = res
        self.conv1 = ConvBN(dim, out_dim)
        stride = 1 if out_dim in (320, 448, 576) else 2
        self.conv2 = ConvBN(out_dim, out_dim, 3, stride, 1, groups=out_dim)
        self.conv3 = ConvBN(out_dim, out_dim)

    def forward(self, x):
        if x.ndim == 3:  # tokens [B, L, C] -> map
            x = x.view(x.shape[0], self.res, self.res, -1).permute(0, 3, 1, 2)
        x = self.conv3(F.gelu(self.conv2(F.gelu(self.conv1(x)))))
        return x.flatten(2).transpose(1, 2)


def offset_index(window):
    """Index of the |dy|, |dx| offset of every (query, key) pair of a window, numbered in order
    of first appearance (row-major over queries then keys), as the checkpoints' bias tables are."""
    points = list(itertools.product(range(window), range(window)))
    seen, idx = {}, []
    for p in points:
        for q in points:
            o = (abs(p[0] - q[0]), abs(p[1] - q[1]))
            idx.append(seen.setdefault(o, len(seen)))
    n = len(points)
    return torch.tensor(idx).view(n, n), len(seen)


class WindowAttention(nn.Module):
    def __init__(self, dim, heads, window):
        super().__init__()
        self.heads = heads
        self.key_dim = dim // heads
        self.norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        idx, n = offset_index(window)
        self.attention_biases = nn.Parameter(torch.zeros(heads, n))
        self.register_buffer("offsets", idx, persistent=False)

    def forward(self, x):
        b, n, _ = x.shape
        d = self.key_dim
        # per head: q, k, v side by side in the projection's output
        q, k, v = self.qkv(self.norm(x)).view(b, n, self.heads, 3 * d).split([d, d, d], dim=3)
        q, k, v = q.permute(0, 2, 1, 3), k.permute(0, 2, 1, 3), v.permute(0, 2, 1, 3)
        att = (q @ k.transpose(-2, -1)) * d ** -0.5 + self.attention_biases[:, self.offsets]
        out = (att.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, self.heads * d)
        return self.proj(out)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(self.norm(x))))


class TinyVitBlock(nn.Module):
    def __init__(self, dim, res, heads, window, mlp_ratio):
        super().__init__()
        self.res, self.window = res, window
        self.attn = WindowAttention(dim, heads, window)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))
        self.local_conv = ConvBN(dim, dim, 3, 1, 1, groups=dim)

    def forward(self, x):
        b, l, c = x.shape
        h = w = self.res
        s = self.window
        if h == s:
            y = self.attn(x)
        else:
            y = x.view(b, h, w, c)
            pb, pr = (s - h % s) % s, (s - w % s) % s
            if pb or pr:
                y = F.pad(y, (0, 0, 0, pr, 0, pb))
            ph, pw = h + pb, w + pr
            y = y.view(b, ph // s, s, pw // s, s, c).transpose(2, 3).reshape(-1, s * s, c)
            y = self.attn(y)
            y = y.view(b, ph // s, pw // s, s, s, c).transpose(2, 3).reshape(b, ph, pw, c)
            y = y[:, :h, :w].reshape(b, l, c)
        x = x + y
        x = self.local_conv(x.transpose(1, 2).reshape(b, c, h, w)).view(b, c, l).transpose(1, 2)
        return x + self.mlp(x)


class Stage(nn.Module):
    def __init__(self, blocks, downsample):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.downsample = downsample

    def forward(self, x):
        for blk in self.blocks:
            x = blk(x)
        return self.downsample(x) if self.downsample is not None else x


class TinyVitEncoder(nn.Module):
    def __init__(self, cfg: TinyVitConfig, out_chans=256):
        super().__init__()
        from official_arch.sam1 import LayerNorm2d  # here: sam1 imports this module for its configs
        dims = cfg.embed_dims
        self.patch_embed = PatchEmbed(dims[0])
        base = cfg.img_size // 4
        self.layers = nn.ModuleList()
        for i, depth in enumerate(cfg.depths):
            res = base // 2 ** (i - 1 if i == 3 else i)
            last = i == len(cfg.depths) - 1
            down = None if last else PatchMerging(res, dims[i], dims[i + 1])
            if i == 0:
                blocks = [MBConv(dims[0], cfg.mbconv_expand_ratio) for _ in range(depth)]
            else:
                blocks = [TinyVitBlock(dims[i], res, cfg.num_heads[i], cfg.window_sizes[i], cfg.mlp_ratio)
                          for _ in range(depth)]
            self.layers.append(Stage(blocks, down))
        self.norm_head = nn.LayerNorm(dims[-1])
        self.head = nn.Linear(dims[-1], cfg.num_classes)
        self.neck = nn.Sequential(
            nn.Conv2d(dims[-1], out_chans, 1, bias=False), LayerNorm2d(out_chans),
            nn.Conv2d(out_chans, out_chans, 3, padding=1, bias=False), LayerNorm2d(out_chans))
        self.grid = cfg.img_size // 16

    def forward(self, image):
        x = image
        x = self.patch_embed(x)
        for layer in self.layers:
            x = layer(x)
        b, _, c = x.shape
        return self.neck(x.view(b, self.grid, self.grid, c).permute(0, 3, 1, 2))
