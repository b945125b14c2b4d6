"""Image encoders: 1024x1024 RGB (normalised) -> [B, 256, 64, 64] embedding."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import LayerNorm2d


# ----------------------------------------------------------------------------
# Light CNN encoder (default model)
# ----------------------------------------------------------------------------
class DWBlock(nn.Module):
    """Depthwise kxk conv + BN, pointwise expand/GELU/project; residual."""

    def __init__(self, c, k=7, expand=2):
        super().__init__()
        self.dw = nn.Conv2d(c, c, k, padding=k // 2, groups=c, bias=False)
        self.bn = nn.BatchNorm2d(c)
        self.pw1 = nn.Conv2d(c, c * expand, 1)
        self.pw2 = nn.Conv2d(c * expand, c, 1)
        self.gamma = nn.Parameter(torch.full((1, c, 1, 1), 0.1))

    def forward(self, x):
        y = self.pw2(F.gelu(self.pw1(self.bn(self.dw(x)))))
        return x + self.gamma * y


class Down(nn.Module):
    def __init__(self, cin, cout, k=2):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=k, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.gelu(self.bn(self.conv(x)))


class LightEncoder(nn.Module):
    """Fully convolutional, stride 16. Stem = 4x4 patchify conv.

    widths/depths per stage at strides 4, 8, 16. Fully convolutional, so it can be
    trained on crops of the 1024 frame and run on the full frame at inference.
    """

    def __init__(self, widths=(32, 64, 128), depths=(1, 2, 4), kernel=7, expand=2, out_chans=256):
        super().__init__()
        self.stem = Down(3, widths[0], 4)
        stages = []
        cin = widths[0]
        for i, (w, d) in enumerate(zip(widths, depths)):
            mods = []
            if i > 0:
                mods.append(Down(cin, w, 2))
            mods += [DWBlock(w, kernel, expand) for _ in range(d)]
            stages.append(nn.Sequential(*mods))
            cin = w
        self.stages = nn.Sequential(*stages)
        self.neck = nn.Sequential(
            nn.Conv2d(cin, out_chans, 1, bias=False), LayerNorm2d(out_chans),
            nn.Conv2d(out_chans, out_chans, 3, padding=1, groups=out_chans // 8 if out_chans >= 8 else 1,
                      bias=False), LayerNorm2d(out_chans))

    def forward(self, x):
        return self.neck(self.stages(self.stem(x)))


# ----------------------------------------------------------------------------
# ViT encoder (windowed attention + a few global blocks), ViT-B/16 sized twin
# ----------------------------------------------------------------------------
class ViTAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):  # x [B, H, W, C]
        b, h, w, c = x.shape
        qkv = self.qkv(x).reshape(b, h * w, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = (q * (c // self.heads) ** -0.5) @ k.transpose(-2, -1)
        out = att.softmax(-1) @ v  # [B, heads, HW, d]
        out = out.transpose(1, 2).reshape(b, h, w, c)
        return self.proj(out)


class ViTBlock(nn.Module):
    def __init__(self, dim, heads, mlp_ratio=4.0, window=0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = ViTAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        hid = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hid), nn.GELU(), nn.Linear(hid, dim))
        self.window = window

    def forward(self, x):  # [B, H, W, C]
        y = self.norm1(x)
        if self.window > 0:
            b, h, w, c = y.shape
            ws = self.window
            ph, pw = (ws - h % ws) % ws, (ws - w % ws) % ws
            y = F.pad(y, (0, 0, 0, pw, 0, ph))
            hp, wp = h + ph, w + pw
            y = y.view(b, hp // ws, ws, wp // ws, ws, c).permute(0, 1, 3, 2, 4, 5).reshape(-1, ws, ws, c)
            y = self.attn(y)
            y = y.view(b, hp // ws, wp // ws, ws, ws, c).permute(0, 1, 3, 2, 4, 5).reshape(b, hp, wp, c)
            y = y[:, :h, :w, :]
        else:
            y = self.attn(y)
        x = x + y
        return x + self.mlp(self.norm2(x))


class ViTEncoder(nn.Module):
    def __init__(self, img_size=1024, patch=16, dim=768, depth=12, heads=12, window=14,
                 global_blocks=(2, 5, 8, 11), out_chans=256):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, patch, stride=patch)
        g = img_size // patch
        self.pos = nn.Parameter(torch.zeros(1, g, g, dim))  # absolute position embedding
        nn.init.trunc_normal_(self.pos, std=0.02)
        self.blocks = nn.ModuleList(
            ViTBlock(dim, heads, window=0 if i in global_blocks else window) for i in range(depth))
        self.neck = nn.Sequential(
            nn.Conv2d(dim, out_chans, 1, bias=False), LayerNorm2d(out_chans),
            nn.Conv2d(out_chans, out_chans, 3, padding=1, bias=False), LayerNorm2d(out_chans))

    def forward(self, x):
        x = self.patch(x).permute(0, 2, 3, 1)
        x = x + self.pos[:, :x.shape[1], :x.shape[2]]
        for b in self.blocks:
            x = b(x)
        return self.neck(x.permute(0, 3, 1, 2))


def build_encoder(cfg):
    cfg = dict(cfg)
    kind = cfg.pop("type")
    if kind == "light":
        return LightEncoder(**cfg)
    if kind == "vit":
        return ViTEncoder(**cfg)
    raise ValueError(kind)
