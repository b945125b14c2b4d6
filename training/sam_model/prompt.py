"""Prompt encoder: random Fourier features for points/boxes, learned label
embeddings, conv mask downscaler and a learned "no mask" embedding."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import LayerNorm2d


class FourierPE(nn.Module):
    """Random Fourier positional encoding: [sin(2pi (2c-1) G), cos(...)], c in [0,1]."""

    def __init__(self, dim, scale=1.0):
        super().__init__()
        self.register_buffer("gauss", scale * torch.randn(2, dim // 2))

    def encode(self, c01):  # [..., 2] normalised (x, y)
        c = (2.0 * c01 - 1.0) @ self.gauss * (2.0 * math.pi)
        return torch.cat([torch.sin(c), torch.cos(c)], dim=-1)

    def grid(self, h, w, oy=0, ox=0, total=64):
        """PE of cell centres of an h x w window at cell offset (oy, ox) of a total x total grid.
        Returns [1, dim, h, w]."""
        ys = (torch.arange(h, dtype=torch.float32, device=self.gauss.device) + oy + 0.5) / total
        xs = (torch.arange(w, dtype=torch.float32, device=self.gauss.device) + ox + 0.5) / total
        yy, xx = torch.meshgrid(ys, xs, indexing="ij")
        pe = self.encode(torch.stack([xx, yy], dim=-1))
        return pe.permute(2, 0, 1).unsqueeze(0)


class PromptEncoder(nn.Module):
    def __init__(self, dim=64, input_size=1024, mask_hidden=16):
        super().__init__()
        self.dim = dim
        self.input_size = input_size
        self.pe = FourierPE(dim)
        # 0 bg point, 1 fg point, 2 box top-left, 3 box bottom-right
        self.label_embed = nn.Parameter(torch.randn(4, dim) * 0.1)
        self.not_a_point = nn.Parameter(torch.randn(dim) * 0.1)
        self.no_mask = nn.Parameter(torch.randn(dim) * 0.1)
        self.mask_down = nn.Sequential(
            nn.Conv2d(1, mask_hidden // 4, 2, stride=2), LayerNorm2d(mask_hidden // 4), nn.GELU(),
            nn.Conv2d(mask_hidden // 4, mask_hidden, 2, stride=2), LayerNorm2d(mask_hidden), nn.GELU(),
            nn.Conv2d(mask_hidden, dim, 1))

    def sparse(self, coords, labels):
        """coords [B,N,2] in the input_size frame (x, y); labels [B,N] float (-1..3)."""
        pe = self.pe.encode(coords / self.input_size)
        lab = labels.unsqueeze(-1)
        pad = (lab == -1).to(pe.dtype)
        out = pe * (1.0 - pad) + self.not_a_point * pad
        for k in range(4):
            out = out + self.label_embed[k] * (lab == k).to(pe.dtype)
        return out

    def dense_tokens(self, mask_input, has_mask):
        """dense() as image tokens [B, (L/4)^2, dim] (row-major cells), the decoder's layout."""
        return self.dense(mask_input, has_mask).flatten(2).transpose(1, 2)

    def dense(self, mask_input, has_mask):
        """mask_input [B,1,L,L] logits, has_mask [B] -> [B,dim,L/4,L/4]."""
        m = self.mask_down(mask_input)
        h = has_mask.to(m.dtype).view(-1, 1, 1, 1)
        return m * h + self.no_mask.view(1, -1, 1, 1) * (1.0 - h)
