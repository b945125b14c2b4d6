"""Mask decoder: two-way transformer between prompt tokens and image embedding,
4 mask tokens + 1 IoU token, x4 transposed-conv upscaling, hypernetwork MLPs."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import LayerNorm2d, MLP, Linear


class Attention(nn.Module):
    def __init__(self, dim, heads, internal=None):
        super().__init__()
        internal = internal or dim
        self.h = heads
        self.q = Linear(dim, internal)
        self.k = Linear(dim, internal)
        self.v = Linear(dim, internal)
        self.o = Linear(internal, dim)

    def _split(self, x):
        b, n, c = x.shape
        return x.reshape(b, n, self.h, c // self.h).transpose(1, 2)

    def forward(self, q, k, v):
        q, k, v = self._split(self.q(q)), self._split(self.k(k)), self._split(self.v(v))
        att = (q @ k.transpose(-2, -1)) * (q.shape[-1] ** -0.5)
        out = att.softmax(-1) @ v
        b, h, n, d = out.shape
        return self.o(out.transpose(1, 2).reshape(b, n, h * d))


class TwoWayBlock(nn.Module):
    def __init__(self, dim, heads, mlp_dim, cross_internal):
        super().__init__()
        self.self_attn = Attention(dim, heads)
        self.n1 = nn.LayerNorm(dim)
        self.t2i = Attention(dim, heads, cross_internal)
        self.n2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(Linear(dim, mlp_dim), nn.ReLU(), Linear(mlp_dim, dim))
        self.n3 = nn.LayerNorm(dim)
        self.i2t = Attention(dim, heads, cross_internal)
        self.n4 = nn.LayerNorm(dim)

    def forward(self, tok, img, tok_pe, img_pe):
        q = tok + tok_pe
        tok = self.n1(tok + self.self_attn(q, q, tok))
        tok = self.n2(tok + self.t2i(tok + tok_pe, img + img_pe, img))
        tok = self.n3(tok + self.mlp(tok))
        img = self.n4(img + self.i2t(img + img_pe, tok + tok_pe, tok))
        return tok, img


class MaskDecoder(nn.Module):
    def __init__(self, embed_chans=256, dim=64, depth=2, heads=4, mlp_dim=256, cross_internal=32,
                 up_chans=(16, 16), num_masks=4, head="sam"):
        super().__init__()
        if head not in ("sam", "shared"):
            raise ValueError(head)
        self.head_type = head
        self.num_masks = num_masks
        self.in_proj = nn.Conv2d(embed_chans, dim, 1)
        self.iou_token = nn.Parameter(torch.randn(1, dim) * 0.1)
        self.mask_tokens = nn.Parameter(torch.randn(num_masks, dim) * 0.1)
        self.blocks = nn.ModuleList(TwoWayBlock(dim, heads, mlp_dim, cross_internal) for _ in range(depth))
        self.final_attn = Attention(dim, heads, cross_internal)
        self.final_norm = nn.LayerNorm(dim)
        c1, c2 = up_chans
        self.up1 = nn.ConvTranspose2d(dim, c1, 2, stride=2)
        self.up_norm = LayerNorm2d(c1)
        self.up2 = nn.ConvTranspose2d(c1, c2, 2, stride=2)
        # "shared" head: each mask token also weighs the prompt-updated image tokens (dim more outputs)
        hyp_out = c2 + dim if head == "shared" else c2
        self.hyper = nn.ModuleList(MLP(dim, dim, hyp_out, 3) for _ in range(num_masks))
        self.iou_head = MLP(dim, dim, num_masks, 3)

    def forward(self, image_embeddings, image_pe, sparse, dense):
        """image_embeddings [1,C,H,W] (shared), image_pe [1,dim,H,W], sparse [B,N,dim],
        dense [B,H*W,dim] (image-token layout) -> masks [B,K,4H,4W], iou [B,K]."""
        b = sparse.shape[0]
        src0 = self.in_proj(image_embeddings)  # [1,dim,H,W], the same for every prompt
        _, c, h, w = src0.shape
        img = src0.flatten(2).transpose(1, 2) + dense  # [B,HW,dim]
        img_pe = image_pe.flatten(2).transpose(1, 2)
        fixed = torch.cat([self.iou_token, self.mask_tokens], 0).unsqueeze(0).expand(b, -1, -1)
        tok = torch.cat([fixed, sparse], 1)
        tok_pe = tok
        for blk in self.blocks:
            tok, img = blk(tok, img, tok_pe, img_pe)
        tok = self.final_norm(tok + self.final_attn(tok + tok_pe, img + img_pe, img))
        iou_out = tok[:, 0]
        mask_out = tok[:, 1:1 + self.num_masks]
        hyp = torch.stack([self.hyper[i](mask_out[:, i]) for i in range(self.num_masks)], 1)  # [B,K,c2(+dim)]
        if self.head_type == "shared":
            return self.shared_head(src0, img, hyp, h, w), self.iou_head(iou_out)
        return self.head(img, hyp, h, w), self.iou_head(iou_out)

    def shared_head(self, src0, img, hyp, h, w):
        """Cheap head for batched decoding. Fine detail: the hypernetwork weighs high-resolution
        features upscaled once from the prompt-independent embedding (one matrix product per
        prompt, already in row-major mask layout). Which object: a coarse term, the mask
        token's weights on the prompt-updated image tokens at 1/16, upsampled bilinearly.
        No per-prompt work at 4x resolution other than the product and the resize."""
        b, k = hyp.shape[0], self.num_masks
        c2 = self.up2.out_channels
        f = F.gelu(self.up2(F.gelu(self.up_norm(self.up1(src0)))))  # [1,c2,4h,4w]
        fine = (hyp[..., :c2].reshape(b * k, c2) @ f.reshape(c2, 16 * h * w)).reshape(b, k, 4 * h, 4 * w)
        coarse = (hyp[..., c2:] @ img.transpose(1, 2)).reshape(b, k, h, w)
        coarse = F.interpolate(coarse, size=(4 * h, 4 * w), mode="bilinear", align_corners=False)
        return fine + coarse

    def head(self, img, hyp, h, w):
        """Image tokens [B,h*w,dim] and hypernetwork weights [B,K,c2] -> masks [B,K,4h,4w].
        (export.py swaps in an equivalent channels-last version.)"""
        b, c = img.shape[0], img.shape[2]
        feat = img.transpose(1, 2).reshape(b, c, h, w)
        feat = F.gelu(self.up2(F.gelu(self.up_norm(self.up1(feat)))))  # [B,c2,4H,4W]
        return (hyp @ feat.flatten(2)).reshape(b, self.num_masks, 4 * h, 4 * w)
