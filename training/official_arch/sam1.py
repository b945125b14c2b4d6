"""SAM 1 (ViT-B/L/H, micro-sam vit_b/l/h) written from the architecture, with the parameter
names and shapes of the official state dicts, so that an official checkpoint loads with
load_state_dict(strict=True). Only what inference and ONNX export need: no training code.

The layout follows the paper and the published checkpoints:
  image_encoder  ViT: 16x16 patch embedding, absolute position table [1, 64, 64, C],
                 blocks with windowed (14x14, zero-padded) or global attention and decomposed
                 relative positions, neck (1x1 conv, LayerNorm2d, 3x3 conv, LayerNorm2d).
  prompt_encoder random-Fourier position encoding, 4 point embeddings + "not a point",
                 mask downscaler (2x2/2 conv, LN2d, GELU, 2x2/2 conv, LN2d, GELU, 1x1 conv),
                 "no mask" embedding.
  mask_decoder   two-way transformer, IoU token + 4 mask tokens, x4 transposed-conv
                 upscaling, one hypernetwork MLP per mask token, IoU head.
"""
import math
from dataclasses import dataclass
from typing import NamedTuple, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass(frozen=True)
class Sam1Config:
    embed_dim: int = 768
    depth: int = 12
    num_heads: int = 12
    global_attn_indexes: Tuple[int, ...] = (2, 5, 8, 11)
    mlp_ratio: float = 4.0
    window_size: int = 14
    patch_size: int = 16
    img_size: int = 1024
    out_chans: int = 256          # embedding channels = prompt / transformer width
    mask_in_chans: int = 16
    decoder_depth: int = 2
    decoder_mlp_dim: int = 2048
    decoder_heads: int = 8
    iou_head_hidden_dim: int = 256
    num_multimask_outputs: int = 3
    # MobileSAM / micro-sam vit_t: a TinyViT image encoder (official_arch/tinyvit.py) instead of the ViT
    tinyvit: Optional[object] = None


def _tinyvit(**kw):
    from official_arch.tinyvit import TinyVitConfig
    return TinyVitConfig(**kw)


CONFIGS = {
    "vit_b": Sam1Config(),
    "vit_l": Sam1Config(embed_dim=1024, depth=24, num_heads=16, global_attn_indexes=(5, 11, 17, 23)),
    "vit_h": Sam1Config(embed_dim=1280, depth=32, num_heads=16, global_attn_indexes=(7, 15, 23, 31)),
    # The conversion test's checkpoint (training/fixtures/make_convert_fixtures.py): the
    # sam1-tiny fixture's configuration, small enough to commit.
    "tiny": Sam1Config(embed_dim=16, depth=2, num_heads=2, global_attn_indexes=(1,), mlp_ratio=2,
                       out_chans=32, decoder_mlp_dim=64, decoder_heads=2, iou_head_hidden_dim=32),
    "vit_t": Sam1Config(tinyvit=_tinyvit()),
    # The MobileSAM conversion test's checkpoint: TinyViT's fixed parts (256-channel neck at 64 x 64,
    # stride-1 merge into 320) with everything else as small as the official classes allow.
    "tiny_t": Sam1Config(tinyvit=_tinyvit(embed_dims=(8, 16, 24, 320), depths=(1, 1, 1, 1), num_heads=(1, 1, 1, 2),
                                          mlp_ratio=1.0, mbconv_expand_ratio=1.0, num_classes=2),
                         decoder_depth=1, decoder_mlp_dim=32, iou_head_hidden_dim=16),
}


# ---------------------------------------------------------------------------- shared pieces
class LayerNorm2d(nn.Module):
    """LayerNorm over the channels of an NCHW map (eps 1e-6 as in the checkpoints' training)."""

    def __init__(self, channels, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.eps = eps

    def forward(self, x):
        mean = x.mean(1, keepdim=True)
        var = (x - mean).pow(2).mean(1, keepdim=True)
        x = (x - mean) / torch.sqrt(var + self.eps)
        return self.weight[:, None, None] * x + self.bias[:, None, None]


class TwoLayerMlp(nn.Module):
    """lin1 -> activation -> lin2 (names as in the checkpoints)."""

    def __init__(self, dim, hidden, act):
        super().__init__()
        self.lin1 = nn.Linear(dim, hidden)
        self.lin2 = nn.Linear(hidden, dim)
        self.act = act()

    def forward(self, x):
        return self.lin2(self.act(self.lin1(x)))


def gemm(x, weight_t, bias):
    """x [..., K] @ weight_t [K, N] + bias as ONE two-dimensional product: exported as a Gemm
    with the bias fused, where a batched nn.Linear exports as MatMul followed by a separate Add
    (a whole extra pass over the decoder's largest tensors)."""
    lead = x.shape[:-1]
    return torch.addmm(bias, x.reshape(-1, x.shape[-1]), weight_t).reshape(lead + (weight_t.shape[1],))


def linear(x, lin):
    """nn.Linear through gemm(): same parameters, one fused product."""
    return gemm(x, lin.weight.t(), lin.bias)


# ---------------------------------------------------------------------------- image encoder
def relative_table(rel_pos, q_len, k_len):
    """Rows of a relative-position table for every (query, key) pair: [q_len, k_len, C]."""
    span = 2 * max(q_len, k_len) - 1
    if rel_pos.shape[0] != span:
        # A table trained for another length (not in the shipped checkpoints at 1024 input).
        rel_pos = F.interpolate(rel_pos.reshape(1, rel_pos.shape[0], -1).permute(0, 2, 1), size=span,
                                mode="linear").reshape(-1, span).permute(1, 0)
    q_scale, k_scale = max(k_len / q_len, 1.0), max(q_len / k_len, 1.0)
    q = torch.arange(q_len)[:, None] * q_scale
    k = torch.arange(k_len)[None, :] * k_scale
    idx = (q - k) + (k_len - 1) * k_scale
    return rel_pos[idx.long()]


class EncoderAttention(nn.Module):
    def __init__(self, dim, heads, grid):
        super().__init__()
        self.num_heads = heads
        head_dim = dim // heads
        self.scale = head_dim ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.rel_pos_h = nn.Parameter(torch.zeros(2 * grid - 1, head_dim))
        self.rel_pos_w = nn.Parameter(torch.zeros(2 * grid - 1, head_dim))

    def forward(self, x):
        """A global block's attention, x [B, H, W, C] -> [B, H, W, C]."""
        b, h, w, c = x.shape
        n, d = self.num_heads, c // self.num_heads
        qkv = self.qkv(x).reshape(b, h * w, 3, n, d).permute(2, 0, 3, 1, 4)  # [3, B, heads, hw, d]
        q, k, v = qkv[0], qkv[1], qkv[2]
        rh = relative_table(self.rel_pos_h, h, h)
        rw = relative_table(self.rel_pos_w, w, w)
        # A global block's attention map is heads x 4096 x 4096 floats (805 MB for ViT-B), and
        # the relative-position sum and the softmax each make another: some heads at a time keep
        # the encoder's peak memory to a third of that, for the same arithmetic.
        step = heads_per_pass(n, h * w)
        if step >= n:
            out = self.attend(q, k, v, rh, rw, h, w)
        else:
            out = torch.cat([self.attend(q[:, i:i + step], k[:, i:i + step], v[:, i:i + step], rh, rw, h, w)
                             for i in range(0, n, step)], dim=1)
        return self.proj(out.permute(0, 2, 1, 3).reshape(b, h, w, c))

    def windowed(self, x, size):
        """A windowed block's attention, x [B, H, W, C] -> [B, H, W, C]: the official code pads the
        normalised map with zeros to whole windows (64 -> 70 for a 1024 input, 20 % more tokens)
        and runs the qkv projection and the output projection on the padding too. A zero token
        projects to the bias alone, so here the image's own tokens are projected and the padding
        gets the bias rows directly; the output projection runs after the padding is cut off.
        Same values, 16 % fewer multiply-adds in the two projections of every windowed block."""
        b, h, w, c = x.shape
        n, d = self.num_heads, c // self.num_heads
        qkv = self.qkv(x)  # [B, H, W, 3C]
        ph, pw = (size - h % size) % size, (size - w % size) % size
        if pw:
            qkv = torch.cat([qkv, self.qkv.bias.expand(b, h, pw, 3 * c)], dim=2)
        if ph:
            qkv = torch.cat([qkv, self.qkv.bias.expand(b, ph, w + pw, 3 * c)], dim=1)
        gh, gw = (h + ph) // size, (w + pw) // size
        # windows and heads in one transpose: [B, gh, size, gw, size, 3, heads, d] -> [3, B*gh*gw, heads, size*size, d]
        qkv = qkv.reshape(b, gh, size, gw, size, 3, n, d).permute(5, 0, 1, 3, 6, 2, 4, 7)
        qkv = qkv.reshape(3, b * gh * gw, n, size * size, d)
        rh = relative_table(self.rel_pos_h, size, size)
        rw = relative_table(self.rel_pos_w, size, size)
        out = self.attend(qkv[0], qkv[1], qkv[2], rh, rw, size, size)  # [B*windows, heads, size*size, d]
        out = out.reshape(b, gh, gw, n, size, size, d).permute(0, 1, 4, 2, 5, 3, 6).reshape(b, h + ph, w + pw, c)
        return self.proj(out[:, :h, :w, :])

    def attend(self, q, k, v, rh, rw, h, w):
        """q, k, v [B, heads, hw, d] -> [B, heads, hw, d]."""
        b, n, _, d = q.shape
        logits = (q * self.scale) @ k.transpose(-2, -1)
        # Decomposed relative positions: a row term and a column term from the unscaled query.
        qg = q.reshape(b * n, h, w, d)
        by_row = torch.einsum("bhwc,hkc->bhwk", qg, rh)
        by_col = torch.einsum("bhwc,wkc->bhwk", qg, rw)
        logits = (logits.view(b * n, h, w, h, w) + by_row[:, :, :, :, None] + by_col[:, :, :, None, :])
        logits = logits.view(b, n, h * w, h * w).softmax(dim=-1)
        return logits @ v


def heads_per_pass(heads, tokens, budget=1 << 26):
    """How many heads' attention maps (tokens x tokens floats each) fit in budget floats (256 MB):
    all of them for windowed blocks, 4 of 12 or 16 in a global block of ViT-B/L/H."""
    return max(1, min(heads, budget // (tokens * tokens)))


class EncoderBlock(nn.Module):
    def __init__(self, cfg: Sam1Config, windowed: bool):
        super().__init__()
        d = cfg.embed_dim
        self.window = cfg.window_size if windowed else 0
        grid = cfg.window_size if windowed else cfg.img_size // cfg.patch_size
        self.norm1 = nn.LayerNorm(d, eps=1e-6)
        self.attn = EncoderAttention(d, cfg.num_heads, grid)
        self.norm2 = nn.LayerNorm(d, eps=1e-6)
        self.mlp = TwoLayerMlp(d, int(d * cfg.mlp_ratio), nn.GELU)

    def forward(self, x):
        y = self.norm1(x)
        y = self.attn.windowed(y, self.window) if self.window else self.attn(y)
        x = x + y
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, cfg: Sam1Config):
        super().__init__()
        self.proj = nn.Conv2d(3, cfg.embed_dim, cfg.patch_size, stride=cfg.patch_size)

    def forward(self, x):
        return self.proj(x).permute(0, 2, 3, 1)  # channels last for the blocks


class ImageEncoder(nn.Module):
    def __init__(self, cfg: Sam1Config):
        super().__init__()
        g = cfg.img_size // cfg.patch_size
        self.patch_embed = PatchEmbed(cfg)
        self.pos_embed = nn.Parameter(torch.zeros(1, g, g, cfg.embed_dim))
        self.blocks = nn.ModuleList(EncoderBlock(cfg, i not in cfg.global_attn_indexes) for i in range(cfg.depth))
        self.neck = nn.Sequential(
            nn.Conv2d(cfg.embed_dim, cfg.out_chans, 1, bias=False), LayerNorm2d(cfg.out_chans),
            nn.Conv2d(cfg.out_chans, cfg.out_chans, 3, padding=1, bias=False), LayerNorm2d(cfg.out_chans))

    def forward(self, image):
        x = self.patch_embed(image) + self.pos_embed
        for blk in self.blocks:
            x = blk(x)
        return self.neck(x.permute(0, 3, 1, 2))


# ---------------------------------------------------------------------------- prompt encoder
class FourierPositions(nn.Module):
    def __init__(self, half_dim):
        super().__init__()
        self.register_buffer("positional_encoding_gaussian_matrix", torch.randn(2, half_dim))

    def encode(self, coords01):
        """Coordinates in 0..1 (x, y last) -> [..., 2 * half_dim] (sin then cos)."""
        proj = (2 * coords01 - 1) @ self.positional_encoding_gaussian_matrix
        proj = 2 * math.pi * proj
        return torch.cat([torch.sin(proj), torch.cos(proj)], dim=-1)

    def grid(self, h, w):
        """Cell centres of an h x w grid -> [1, C, h, w]."""
        y = (torch.arange(h, dtype=torch.float32) + 0.5) / h
        x = (torch.arange(w, dtype=torch.float32) + 0.5) / w
        yy, xx = torch.meshgrid(y, x, indexing="ij")
        return self.encode(torch.stack([xx, yy], dim=-1)).permute(2, 0, 1).unsqueeze(0)


class PromptEncoder(nn.Module):
    def __init__(self, cfg: Sam1Config):
        super().__init__()
        d = cfg.out_chans
        self.img_size = cfg.img_size
        self.grid_size = cfg.img_size // cfg.patch_size
        self.pe_layer = FourierPositions(d // 2)
        self.point_embeddings = nn.ModuleList(nn.Embedding(1, d) for _ in range(4))
        self.not_a_point_embed = nn.Embedding(1, d)
        m = cfg.mask_in_chans
        self.mask_downscaling = nn.Sequential(
            nn.Conv2d(1, m // 4, 2, stride=2), LayerNorm2d(m // 4), nn.GELU(),
            nn.Conv2d(m // 4, m, 2, stride=2), LayerNorm2d(m), nn.GELU(),
            nn.Conv2d(m, d, 1))
        self.no_mask_embed = nn.Embedding(1, d)

    def points(self, coords, labels):
        """Points in the input frame [B, N, 2] with labels [B, N] (-1 padding, 0/1 bg/fg, 2/3 box)."""
        pe = self.pe_layer.encode((coords + 0.5) / self.img_size)
        lab = labels.unsqueeze(-1)
        out = pe * (lab != -1) + self.not_a_point_embed.weight * (lab == -1)
        for i in range(4):
            out = out + self.point_embeddings[i].weight * (lab == i)
        return out

    def masks(self, mask_input, has_mask):
        """mask_input [B, 1, 4g, 4g], has_mask [B] -> dense embedding as tokens [B, g*g, C].

        The official arithmetic (has * downscale(mask) + (1 - has) * no_mask_embed, downscale =
        conv 2x2/2, LayerNorm2d, GELU, conv 2x2/2, LayerNorm2d, GELU, conv 1x1), computed per
        embedding pixel on its 4x4 block of the mask: both strided convolutions only ever see
        their own block, so they are matrix products on channels-last tensors, and the result
        comes out in the token order the transformer reads (no NCHW convolution, no transpose).
        """
        conv1, norm1, _, conv2, norm2, _, conv3 = self.mask_downscaling
        b = mask_input.shape[0]
        g = self.grid_size
        c1, c2 = conv1.weight.shape[0], conv2.weight.shape[0]
        # row 4i + 2a + c: a is the second convolution's kernel row, c the first's
        x = mask_input.reshape(b, g, 2, 2, g, 2, 2).permute(0, 1, 4, 2, 5, 3, 6).reshape(b, g * g, 4, 4)
        x = gemm(x, conv1.weight.reshape(c1, 4).t(), conv1.bias)  # [B, g*g, 4 (a, a'), c1]
        x = F.gelu(F.layer_norm(x, (c1,), norm1.weight, norm1.bias, norm1.eps))
        x = gemm(x.reshape(b, g * g, 4 * c1), conv2.weight.permute(2, 3, 1, 0).reshape(4 * c1, c2), conv2.bias)
        x = F.gelu(F.layer_norm(x, (c2,), norm2.weight, norm2.bias, norm2.eps))
        has = has_mask.reshape(-1, 1, 1)
        w3 = conv3.weight.reshape(conv3.weight.shape[0], c2).t()
        return (has * x) @ w3 + (has * conv3.bias + (1 - has) * self.no_mask_embed.weight)


# ---------------------------------------------------------------------------- mask decoder
class TokenAttention(nn.Module):
    """Multi-head attention with separate projections and an optional narrower inner width.

    forward() is the textbook order, used among the few prompt tokens. The two cross
    attentions between the tokens (T, about 7) and the image (N = 4096 embedding pixels) use
    the same weights in another order, so that the image is never projected: projecting it
    costs 2 N C inner multiply-adds (268 M for ViT-B) per attention and prompt, while
    multiplying it by the tokens' H T vectors costs H T C N (59 M). Same arithmetic, rounded
    differently (differences around 1e-6)."""

    def __init__(self, dim, heads, downsample=1):
        super().__init__()
        inner = dim // downsample
        self.num_heads = heads
        self.q_proj = nn.Linear(dim, inner)
        self.k_proj = nn.Linear(dim, inner)
        self.v_proj = nn.Linear(dim, inner)
        self.out_proj = nn.Linear(inner, dim)

    def _heads(self, x, order):
        b, n, c = x.shape
        return x.reshape(b, n, self.num_heads, c // self.num_heads).permute(order)

    def _per_head(self, lin):
        """A projection's weight [H * d, C] as [H, d, C]."""
        return lin.weight.reshape(self.num_heads, -1, lin.weight.shape[1])

    def forward(self, q, k, v):
        return self.attend_projected(q, self.keys(k), self.values(v))

    def keys(self, k):
        """Projected keys per head, transposed in the same step: [B, H, d, N]."""
        return self._heads(linear(k, self.k_proj), (0, 2, 3, 1))

    def values(self, v):
        """Projected values per head: [B, H, N, d]."""
        return self._heads(linear(v, self.v_proj), (0, 2, 1, 3))

    def attend_projected(self, q, k_t, v):
        """Queries q [B, T, C] against keys and values already projected (keys(), values()),
        which may be one image's, [1, ...], shared by the batch."""
        q = self._heads(linear(q, self.q_proj), (0, 2, 1, 3))
        att = (q @ k_t) / math.sqrt(q.shape[-1])
        out = att.softmax(dim=-1) @ v
        b, h, n, c = out.shape
        return linear(out.transpose(1, 2).reshape(b, n, h * c), self.out_proj)

    def tokens_to_image(self, q, k, v):
        """Tokens q [B, T, C] attend to image keys k and values v [B, N, C].

        A query's score against a key is q_h . (W_k,h x + b_k,h) = (W_k,h^T q_h) . x + const:
        the key projection moves onto the query (the bias term is the same for every key of a
        query and drops out of the softmax). The values' projection is linear and the softmax
        weights sum to one, so it moves after the weighted sum: W_v,h (sum p x) + b_v,h."""
        b, t, _ = q.shape
        n, c = k.shape[1], k.shape[2]
        h = self.num_heads
        qh = self._heads(linear(q, self.q_proj), (0, 2, 1, 3))  # [B, H, T, d]
        d = qh.shape[-1]
        a = (qh @ self._per_head(self.k_proj)).reshape(b, h * t, c) / math.sqrt(d)  # [B, H*T, C]
        # scores transposed, [B, N, H*T]: the image is the left operand as it lies (no copy of
        # the large tensor); the small score matrix is turned instead
        p = (k @ a.transpose(1, 2)).transpose(1, 2).reshape(b, h, t, n).softmax(dim=-1)
        pooled = p.reshape(b, h * t, n) @ v  # [B, H*T, C]
        out = pooled.reshape(b, h, t, c) @ self._per_head(self.v_proj).transpose(1, 2)  # [B, H, T, d]
        out = out + self.v_proj.bias.reshape(h, 1, d)
        return linear(out.transpose(1, 2).reshape(b, t, h * d), self.out_proj)

    def image_to_tokens(self, q, k, v):
        """Image queries q [B or 1, N, C] attend to tokens k, v [B, T, C].

        The query projection moves onto the keys (x . W_q,h^T K_h^T: one [C, H*T] matrix per
        prompt) and the output projection onto the values (p V_h W_o,h: [H*T, C]), so the image
        meets two products with H*T columns or rows instead of two projections."""
        b, t, _ = k.shape
        h = self.num_heads
        kh = self._heads(linear(k, self.k_proj), (0, 2, 1, 3))  # [B, H, T, d]
        d = kh.shape[-1]
        wq = self._per_head(self.q_proj)  # [H, d, C]
        a = (wq.transpose(1, 2) @ kh.transpose(2, 3)) / math.sqrt(d)  # [B, H, C, T]
        a = a.permute(0, 2, 1, 3).reshape(b, -1, h * t)  # [B, C, H*T]
        bias = (kh @ self.q_proj.bias.reshape(h, d, 1)).reshape(b, 1, h * t) / math.sqrt(d)
        return self._pool_tokens(q @ a + bias, v, h, t)

    def image_to_tokens_projected(self, q, k, v):
        """As image_to_tokens, with the image's queries already projected, q [1, N, H*d] (one
        image's, shared by the batch): the keys go in as a block-diagonal [H*d, H*T] matrix,
        so all heads' scores come from one product with H*d (not C) terms each."""
        b, t, _ = k.shape
        h = self.num_heads
        kh = self._heads(linear(k, self.k_proj), (0, 2, 3, 1))  # [B, H, d, T]
        d = kh.shape[2]
        eye = torch.eye(h, dtype=kh.dtype).reshape(1, h, 1, h, 1)
        blocks = (kh.unsqueeze(3) * eye).reshape(b, h * d, h * t) / math.sqrt(d)  # [B, H*d, H*T]
        return self._pool_tokens(q @ blocks, v, h, t)

    def _pool_tokens(self, scores, v, h, t):
        """Scores [B, N, H*T] -> per-head softmax over the tokens, weighted sum of the values
        with the output projection applied to the values first (p V_h W_o,h: [H*T, C])."""
        b, n = scores.shape[0], scores.shape[1]
        p = scores.reshape(b, n, h, t).softmax(dim=-1).reshape(b, n, h * t)
        vh = self._heads(linear(v, self.v_proj), (0, 2, 1, 3))  # [B, H, T, d]
        wo = self.out_proj.weight.t().reshape(h, vh.shape[-1], -1)  # [H, d, C]
        u = (vh @ wo).reshape(vh.shape[0], h * t, -1)  # [B, H*T, C]
        return p @ u + self.out_proj.bias


class TwoWayLayer(nn.Module):
    """One layer of SAM's two-way transformer; SAM 2's is the same but for its MLP's parameter
    names (mlp: the module, built by the family)."""

    def __init__(self, dim, heads, mlp, first):
        super().__init__()
        self.first = first  # the first layer's self-attention sees the tokens without their PE
        self.self_attn = TokenAttention(dim, heads)
        self.norm1 = nn.LayerNorm(dim)
        self.cross_attn_token_to_image = TokenAttention(dim, heads, 2)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = mlp
        self.norm3 = nn.LayerNorm(dim)
        self.norm4 = nn.LayerNorm(dim)
        self.cross_attn_image_to_token = TokenAttention(dim, heads, 2)

    def forward(self, tokens, image, token_pe, image_pe, side=None):
        """side: the image's projections from image_side() (then image is side.tokens), for
        a first layer whose image is the same for every prompt of the batch."""
        if self.first:
            tokens = self.self_attn(tokens, tokens, tokens)
        else:
            q = tokens + token_pe
            tokens = tokens + self.self_attn(q, q, tokens)
        tokens = self.norm1(tokens)
        to_image, to_tokens = self.cross_attn_token_to_image, self.cross_attn_image_to_token
        if side is None:
            tokens = self.norm2(tokens + to_image.tokens_to_image(tokens + token_pe, image + image_pe, image))
        else:
            tokens = self.norm2(tokens + to_image.attend_projected(tokens + token_pe, side.keys, side.values))
        tokens = self.norm3(tokens + self.mlp(tokens))
        q = tokens + token_pe
        if side is None:
            image = self.norm4(image + to_tokens.image_to_tokens(image + image_pe, q, tokens))
        else:
            image = self.norm4(image + to_tokens.image_to_tokens_projected(side.queries, q, tokens))
        return tokens, image

    def image_side(self, image, image_pe):
        """What this (first) layer computes from the image alone, before any prompt: the keys
        and values the tokens attend to and the image's queries for the tokens. For a click
        these are 3 of the decoder's largest products (400 M multiply-adds for ViT-B): computed
        once per image and kept with it, each click then costs half as much."""
        to_image, to_tokens = self.cross_attn_token_to_image, self.cross_attn_image_to_token
        positioned = image + image_pe
        return ImageSide(image, to_image.keys(positioned), to_image.values(image),
                         linear(positioned, to_tokens.q_proj))


class ImageSide(NamedTuple):
    """A first decoder layer's prompt-independent tensors for one image (no mask prompt):
    tokens [1, N, C] (embedding + no-mask embedding), keys [1, H, d, N], values [1, H, N, d],
    queries [1, N, H*d]. Their names are those of the image-side graph's outputs."""
    tokens: torch.Tensor
    keys: torch.Tensor
    values: torch.Tensor
    queries: torch.Tensor


class TwoWayTransformer(nn.Module):
    """SAM's two-way transformer (SAM 1 and SAM 2 alike); make_mlp() builds each layer's MLP."""

    def __init__(self, d, heads, depth, make_mlp):
        super().__init__()
        self.layers = nn.ModuleList(TwoWayLayer(d, heads, make_mlp(), i == 0) for i in range(depth))
        self.final_attn_token_to_image = TokenAttention(d, heads, 2)
        self.norm_final_attn = nn.LayerNorm(d)

    def forward(self, image, image_pe, tokens, side=None):
        """image [B, g*g, C] and image_pe [1, g*g, C] as tokens, tokens [B, T, C]; or side, the
        first layer's image side (image is then side.tokens, shared by the batch)."""
        token_pe = tokens
        for i, layer in enumerate(self.layers):
            tokens, image = layer(tokens, image, token_pe, image_pe, side if i == 0 else None)
        final = self.final_attn_token_to_image.tokens_to_image
        tokens = tokens + final(tokens + token_pe, image + image_pe, image)
        return self.norm_final_attn(tokens), image


class HeadMlp(nn.Module):
    """Linear layers with ReLU between them (the hypernetworks and the IoU head)."""

    def __init__(self, dims):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))

    def forward(self, x):
        for i, lin in enumerate(self.layers):
            x = lin(x)
            if i < len(self.layers) - 1:
                x = F.relu(x)
        return x


class MaskDecoder(nn.Module):
    def __init__(self, cfg: Sam1Config):
        super().__init__()
        d = cfg.out_chans
        self.num_mask_tokens = cfg.num_multimask_outputs + 1
        self.transformer = TwoWayTransformer(d, cfg.decoder_heads, cfg.decoder_depth,
                                             lambda: TwoLayerMlp(d, cfg.decoder_mlp_dim, nn.ReLU))
        self.iou_token = nn.Embedding(1, d)
        self.mask_tokens = nn.Embedding(self.num_mask_tokens, d)
        self.output_upscaling = nn.Sequential(
            nn.ConvTranspose2d(d, d // 4, 2, stride=2), LayerNorm2d(d // 4), nn.GELU(),
            nn.ConvTranspose2d(d // 4, d // 8, 2, stride=2), nn.GELU())
        self.output_hypernetworks_mlps = nn.ModuleList(HeadMlp([d, d, d, d // 8])
                                                       for _ in range(self.num_mask_tokens))
        self.iou_prediction_head = HeadMlp([d, cfg.iou_head_hidden_dim, cfg.iou_head_hidden_dim,
                                            self.num_mask_tokens])

    def forward(self, image_embeddings, image_pe, sparse, dense):
        """Embedding [1, C, g, g] shared by B prompts; sparse [B, N, C], dense as tokens
        [B, g*g, C] -> low-res logits [B, 4, 4g, 4g] and IoU predictions [B, 4].

        The embedding and its position encoding are put in token order once, before the
        prompts' dense embeddings are added, and broadcast over the batch: no per-prompt copy."""
        src = image_embeddings.flatten(2).transpose(1, 2) + dense
        return self.decode_tokens(src, None, image_pe, sparse)

    def image_side(self, image_embeddings, image_pe, dense):
        """The first layer's image side for prompts without a mask (dense [1, 1, C])."""
        src = image_embeddings.flatten(2).transpose(1, 2) + dense
        return self.transformer.layers[0].image_side(src, image_pe.flatten(2).transpose(1, 2))

    def decode_tokens(self, src, side, image_pe, sparse, blocks=False):
        """src: the image as tokens (with the dense prompt), or side: its first-layer image side;
        blocks: masks in the upscaling's block order (place_blocks)."""
        b = sparse.shape[0]
        h = w = image_pe.shape[-1]
        out_tokens = torch.cat([self.iou_token.weight, self.mask_tokens.weight], dim=0)
        tokens = torch.cat([out_tokens.unsqueeze(0).expand(b, -1, -1), sparse], dim=1)
        pos = image_pe.flatten(2).transpose(1, 2)
        hs, img = self.transformer(side.tokens if side is not None else src, pos, tokens, side)
        hyper = torch.stack([mlp(hs[:, 1 + i, :]) for i, mlp in enumerate(self.output_hypernetworks_mlps)], dim=1)
        return (upscaled_masks(self.output_upscaling, img, hyper, h, w, blocks),
                self.iou_prediction_head(hs[:, 0, :]))


# Image rows per band of the upscaling (upscaled_masks): a band's intermediate tensors for a
# batch of 8 prompts (256 pixels x 4 blocks x 64-128 channels) stay in a core's cache.
UPSCALING_BAND_ROWS = 4


def upscaled_masks(upscaling, img, hyper, h, w, blocks=False):
    """The x4 upscaling and the hypernetwork product, computed per embedding pixel.

    Same arithmetic as ConvTranspose2d(2, stride 2) -> LayerNorm2d -> GELU -> ConvTranspose2d ->
    GELU -> hyper @ features, rearranged for speed: a stride-2 kernel-2 transposed convolution
    maps each input pixel to its own 2x2 output block, and everything after it is per pixel, so
    the whole chain runs on channels-last [B, h*w, blocks, C] tensors as plain matrix products
    (fast GEMMs, a fused LayerNormalization) and the pixels are put in image order only at the
    end, on the few mask channels instead of the 32 feature channels. ONNX Runtime's CPU
    ConvTranspose and the unfused channel LayerNorm took half the decoder's time the other way.

    The chain runs band by band (UPSCALING_BAND_ROWS embedding rows at a time), not on the whole
    image at once: ONNX Runtime runs one operator over a whole tensor before the next, and for a
    batch the whole-image intermediates (8-16 MB per prompt) go to memory and back between the
    products, the LayerNorm, the GELUs and the pixel placement. Per band they stay in cache: 15 %
    less time for this chain with 8 prompts per run (each band's products are the same rows of
    the same products, so the values are equal up to the products' own rounding).

    With blocks=True the mask pixels are left in the order the chain computes them (see
    place_blocks; the descriptor's low_res_order "blocks"): the mask product then gives mask-major
    values directly and no transpose is left in the graph; the plugin places the pixels while it
    copies the logits out, which costs less than ONNX Runtime's 8-axis transpose (4 % of segment
    everything's decoder run).

    img [B, h*w, C] (the transformer's image tokens), hyper [B, M, C/8] -> [B, M, 4h, 4w].
    """
    bands = [upscaled_band(upscaling, img[:, r * w:min(h, r + UPSCALING_BAND_ROWS) * w], hyper,
                           min(h, r + UPSCALING_BAND_ROWS) - r, w, blocks)
             for r in range(0, h, UPSCALING_BAND_ROWS)]
    masks = bands[0] if len(bands) == 1 else torch.cat(bands, dim=2)
    return masks.reshape(img.shape[0], hyper.shape[1], 4 * h, 4 * w) if blocks else masks


def place_blocks(masks):
    """Masks in the upscaling's block order (upscaled_masks(blocks=True)) -> image order.

    Block order: embedding pixels row-major (y, x), each with its 16 sub-pixels in the order the
    two 2x2 transposed convolutions make them (ky1, kx1, ky2, kx2); the sub-pixel lies at row
    4y + 2 ky1 + ky2, column 4x + 2 kx1 + kx2 of the low-res mask."""
    b, m, s = masks.shape[0], masks.shape[1], masks.shape[2]
    g = s // 4
    return masks.reshape(b, m, g, g, 2, 2, 2, 2).permute(0, 1, 2, 4, 6, 3, 5, 7).reshape(b, m, s, s)


def upscaled_band(upscaling, img, hyper, h, w, blocks=False):
    """upscaled_masks on h whole rows of the embedding: img [B, h*w, C] -> [B, M, 4h, 4w], or
    with blocks=True [B, M, h*w*16] in block order."""
    conv1, norm, _, conv2, _ = upscaling
    b = img.shape[0]
    c1, c2 = conv1.weight.shape[1], conv2.weight.shape[1]
    # weight [in, out, ky, kx] -> [in, (ky, kx, out)]
    w1 = conv1.weight.permute(0, 2, 3, 1).reshape(conv1.weight.shape[0], 4 * c1)
    w2 = conv2.weight.permute(0, 2, 3, 1).reshape(c1, 4 * c2)
    x = gemm(img, w1, conv1.bias.repeat(4)).reshape(b, h * w, 4, c1)
    x = F.gelu(F.layer_norm(x, (c1,), norm.weight, norm.bias, norm.eps))
    x = F.gelu(gemm(x, w2, conv2.bias.repeat(4)))
    m = hyper.shape[1]
    if blocks:
        return hyper @ x.reshape(b, h * w * 16, c2).transpose(1, 2)  # [B, M, pixels x 16]
    masks = x.reshape(b, h * w * 16, c2) @ hyper.transpose(1, 2)  # [B, pixels x 16, M]
    # [B, y, x, ky1, kx1, ky2, kx2, M] -> [B, M, y, ky1, ky2, x, kx1, kx2]: row 4y + 2 ky1 + ky2
    masks = masks.reshape(b, h, w, 2, 2, 2, 2, m).permute(0, 7, 1, 3, 5, 2, 4, 6)
    return masks.reshape(b, m, 4 * h, 4 * w)


# ---------------------------------------------------------------------------- the model
class Sam1(nn.Module):
    """State-dict compatible with the official checkpoints (pixel_mean/std are not saved there)."""

    def __init__(self, cfg: Sam1Config):
        super().__init__()
        self.cfg = cfg
        if cfg.tinyvit is not None:
            from official_arch.tinyvit import TinyVitEncoder
            self.image_encoder = TinyVitEncoder(cfg.tinyvit, cfg.out_chans)
        else:
            self.image_encoder = ImageEncoder(cfg)
        self.prompt_encoder = PromptEncoder(cfg)
        self.mask_decoder = MaskDecoder(cfg)

    def dense_pe(self):
        g = self.prompt_encoder.grid_size
        return self.prompt_encoder.pe_layer.grid(g, g)

    def decode(self, image_embeddings, point_coords, point_labels, mask_input=None, has_mask_input=None):
        """With no mask input at all, the dense embedding is the "no mask" vector for every
        prompt, so the first transformer layer's image side (projections of the embedding) is
        the same for all: computed once (image_side()), then shared by the batch."""
        if mask_input is None:
            return self.decode_side(self.image_side(image_embeddings), point_coords, point_labels)
        sparse = self.prompt_encoder.points(point_coords, point_labels)
        dense = self.prompt_encoder.masks(mask_input, has_mask_input)
        return self.mask_decoder(image_embeddings, self.dense_pe(), sparse, dense)

    def image_side(self, image_embeddings):
        """The prompt-independent part of decoding without a mask prompt (ImageSide)."""
        dense = self.prompt_encoder.no_mask_embed.weight.reshape(1, 1, -1)
        return self.mask_decoder.image_side(image_embeddings, self.dense_pe(), dense)

    def decode_side(self, side, point_coords, point_labels, blocks=False):
        sparse = self.prompt_encoder.points(point_coords, point_labels)
        return self.mask_decoder.decode_tokens(None, side, self.dense_pe(), sparse, blocks)


def build(size):
    return Sam1(CONFIGS[size]).eval()


# ---------------------------------------------------------------------------- ONNX interfaces
class EncoderGraph(nn.Module):
    """image [1, 3, S, S] (normalised, padded) -> image_embeddings [1, C, g, g]."""

    def __init__(self, sam):
        super().__init__()
        self.image_encoder = sam.image_encoder

    def forward(self, image):
        return self.image_encoder(image)


class DecoderGraph(nn.Module):
    """The official decoder interface (segment-anything's export_onnx_model.py): batch 1,
    orig_im_size, masks upsampled to the original size in the graph, 4 mask outputs; with
    batch=True the plugin's batch decoder instead: prompts along axis 0, low-res masks only;
    called without mask_input / has_mask_input, the batch decoder for prompts without a mask
    computing its image side in the graph (NoMaskDecoderGraph takes it as inputs instead)."""

    def __init__(self, sam, batch=False):
        super().__init__()
        self.prompt_encoder = sam.prompt_encoder
        self.mask_decoder = sam.mask_decoder
        self.sam = [sam]  # not a submodule: the initializers keep the state-dict names
        self.batch = batch

    def forward(self, image_embeddings, point_coords, point_labels, mask_input=None, has_mask_input=None,
                orig_im_size=None):
        sam = self.sam[0]
        low, iou = sam.decode(image_embeddings, point_coords, point_labels, mask_input, has_mask_input)
        if self.batch:
            return iou, low
        s = sam.cfg.img_size
        masks = F.interpolate(low, size=(s, s), mode="bilinear", align_corners=False)
        scale = s / torch.max(orig_im_size)
        fitted = torch.floor(orig_im_size * scale + 0.5).to(torch.int64)
        masks = masks[..., :fitted[0], :fitted[1]]
        size = orig_im_size.to(torch.int64)
        masks = F.interpolate(masks, size=(size[0], size[1]), mode="bilinear", align_corners=False)
        return masks, iou, low


IMAGE_SIDE_NAMES = ["image_tokens", "first_keys", "first_values", "first_queries"]


class ImageSideGraph(nn.Module):
    """image_embeddings [1, C, g, g] -> the first decoder layer's image side (ImageSide), run
    once per image; its outputs are inputs of NoMaskDecoderGraph under the same names."""

    def __init__(self, sam):
        super().__init__()
        self.prompt_encoder = sam.prompt_encoder
        self.mask_decoder = sam.mask_decoder
        self.sam = [sam]

    def forward(self, image_embeddings):
        return tuple(self.sam[0].image_side(image_embeddings))


class NoMaskDecoderGraph(nn.Module):
    """The batch decoder for prompts without a mask, from an image's ImageSide: prompts along
    axis 0, low-res masks and IoU predictions; with blocks=True (the templates') the masks'
    pixels in the upscaling's block order (place_blocks)."""

    def __init__(self, sam, blocks=False):
        super().__init__()
        self.prompt_encoder = sam.prompt_encoder
        self.mask_decoder = sam.mask_decoder
        self.sam = [sam]
        self.blocks = blocks

    def forward(self, image_tokens, first_keys, first_values, first_queries, point_coords, point_labels):
        side = ImageSide(image_tokens, first_keys, first_values, first_queries)
        low, iou = self.sam[0].decode_side(side, point_coords, point_labels, self.blocks)
        return iou, low
