"""Instance decoder for automatic instance segmentation (AIS, as in micro-sam).

Inputs: the frozen image encoder's embedding [B, C, 64, 64] and the normalised, padded encoder
input image [B, 3, 1024, 1024]. Outputs (logits here; the ONNX export applies the sigmoid)
[B, 3, 256, 256] over the padded 1024 frame: foreground, center_distance, boundary_distance.

Design (light, CPU-friendly; fully convolutional, so it trains on crops; ~1.1 GMAC per 1024 frame):
- embedding: 1x1 conv C -> 64, LayerNorm2d, GELU (64 x 64)
- up 1: nearest 2x, 3x3 conv 64 -> 32, BatchNorm, ReLU (128 x 128)
- up 2: nearest 2x, depthwise 3x3 + 1x1 conv 32 -> 32, BN, ReLU (256 x 256)
- image stem at stride 4 (recovers small-nucleus detail the 1/16 embedding lacks):
  3x3/2 conv 3 -> 16, BN, ReLU (512 x 512); 3x3/2 conv 16 -> 32, BN, ReLU (256 x 256)
- fuse: concat (64 ch) -> depthwise 3x3 + 1x1 conv -> 32, BN, ReLU; depthwise 3x3 + 1x1 32 -> 32,
  BN, ReLU
- head: 1x1 conv 32 -> 3 (logits; the export adds the sigmoid)
BatchNorm folds into the convolutions at export (eval mode), and ONNX Runtime fuses Conv + ReLU:
ReLU instead of GELU at the high resolutions cut the ONNX Runtime time on 2 cores from ~216 to
~80 ms (median, busy machine) for the same graph otherwise.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import LayerNorm2d

OUTPUTS = ("foreground", "center_distance", "boundary_distance")


def cbg(cin, cout, k=3, stride=1, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU())


def sep(cin, cout):
    """depthwise 3x3 + 1x1 conv, BN, ReLU"""
    return nn.Sequential(nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False),
                         nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class InstanceDecoder(nn.Module):
    def __init__(self, embed_chans=256, width=64, up=(32, 32), stem=(16, 32), fuse=32):
        super().__init__()
        self.cfg = dict(embed_chans=embed_chans, width=width, up=tuple(up), stem=tuple(stem), fuse=fuse)
        self.proj = nn.Sequential(nn.Conv2d(embed_chans, width, 1), LayerNorm2d(width), nn.GELU())
        self.up1 = cbg(width, up[0])
        self.up2 = sep(up[0], up[1])
        self.stem = nn.Sequential(cbg(3, stem[0], stride=2), cbg(stem[0], stem[1], stride=2))
        cat = up[1] + stem[1]
        self.fuse = nn.Sequential(sep(cat, fuse), sep(fuse, fuse))
        self.head = nn.Conv2d(fuse, 3, 1)

    def forward(self, emb, image):
        """emb [B,C,h,w], image [B,3,16h,16w] (the same window of the 1024 frame) -> logits [B,3,4h,4w]."""
        x = self.proj(emb)
        x = self.up1(F.interpolate(x, scale_factor=2.0, mode="nearest"))
        x = self.up2(F.interpolate(x, scale_factor=2.0, mode="nearest"))
        s = self.stem(image)
        return self.head(self.fuse(torch.cat([x, s], 1)))


class InstanceDecoderOnnx(nn.Module):
    """Export wrapper: sigmoid on the three maps, one named output each ([1,1,256,256])."""

    def __init__(self, dec):
        super().__init__()
        self.dec = dec

    def forward(self, image_embeddings, image):
        p = torch.sigmoid(self.dec(image_embeddings, image))
        return p[:, 0:1], p[:, 1:2], p[:, 2:3]


def build_instance_decoder(cfg=None):
    return InstanceDecoder(**(cfg or {}))
