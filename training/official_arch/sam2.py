"""SAM 2.1's image path written from the architecture, with the parameter names and shapes of the
official state dicts (the "model" entry of sam2.1_hiera_*.pt), so that an official checkpoint loads
with load_state_dict(strict=True). Only what SAM2ImagePredictor computes: no training, no video.

  image_encoder.trunk   Hiera: 7x7/4 patch embedding; a position table interpolated (bicubic) to the
                        patch grid plus a per-window table tiled over it; four stages of blocks with
                        windowed or global attention; the first block of stages 2-4 doubles the width
                        and halves the resolution by max-pooling its queries (and its shortcut).
  image_encoder.neck    FPN: a 1x1 conv per stage, the stride-32 level upsampled (nearest) and added
                        to the stride-16 one; the stride-32 level itself is dropped ("scalp").
                        The neck's sine position encodings feed only the video memory: not computed.
  sam_prompt_encoder    as SAM 1 (random-Fourier positions, point and mask embeddings).
  sam_mask_decoder      SAM 1's two-way transformer with an extra object-score token, the stride-4 /
                        stride-8 features (conv_s0 / conv_s1) added during the upscaling, and a
                        sigmoid on the IoU head.
  no_mem_embed          added to the stride-16 features of a single image (no memory).

The tracking modules (memory attention, memory encoder, object pointers, ...) are declared as
parameter holders of the official names and shapes: a checkpoint must hold them to be a SAM 2.1
checkpoint, and the converter's manifest lists them as expected but unused.

The two-way transformer is sam1.py's class (SAM 2 renamed only its MLP's parameters, passed in), so
that both families share its attention orders and the first layer's image side that the mask-free
decoders take (ImageSideGraph, NoMaskDecoderGraph). A change made there for SAM 1 therefore changes
the SAM 2.1 graphs too: tests/test_templates.py fails until both families' templates are
regenerated, and tests/test_official_sam2.py compares them with the official code again.
"""
import math
from dataclasses import dataclass
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from official_arch.sam1 import ImageSide, TwoWayTransformer



@dataclass(frozen=True)
class Sam2Config:
    embed_dim: int = 96            # Hiera stage-1 width; doubles at every stage
    num_heads: int = 1             # stage-1 heads; doubles at every stage
    stages: Tuple[int, ...] = (1, 2, 7, 2)
    global_att_blocks: Tuple[int, ...] = (5, 7, 9)
    window_spec: Tuple[int, ...] = (8, 4, 14, 7)
    pos_embed_size: Tuple[int, int] = (7, 7)   # window_pos_embed_bkg_spatial_size
    d_model: int = 256             # neck width = prompt / transformer width
    img_size: int = 1024
    decoder_mlp_dim: int = 2048
    iou_head_hidden_dim: int = 256
    # video-only tensors (shapes only)
    mem_dim: int = 64
    num_maskmem: int = 7
    memory_layers: int = 4
    memory_ff_dim: int = 2048
    fuser_layers: int = 2


CONFIGS = {
    # sam2/configs/sam2.1/sam2.1_hiera_{t,s,b+,l}.yaml (commit 2b90b9f5); b+ takes Hiera's defaults
    "hiera_t": Sam2Config(),
    "hiera_s": Sam2Config(stages=(1, 2, 11, 2), global_att_blocks=(7, 10, 13)),
    "hiera_b+": Sam2Config(embed_dim=112, num_heads=2, stages=(2, 3, 16, 3), global_att_blocks=(12, 16, 20),
                           pos_embed_size=(14, 14)),
    "hiera_l": Sam2Config(embed_dim=144, num_heads=2, stages=(2, 6, 36, 4), global_att_blocks=(23, 33, 43),
                          window_spec=(8, 4, 16, 8)),
    # The conversion test's checkpoint: the sam2-tiny fixture's model (training/fixtures/make_sam2_fixtures.py)
    "tiny": Sam2Config(embed_dim=12, stages=(1, 1, 2, 1), global_att_blocks=(3,), d_model=32, decoder_mlp_dim=256,
                       iou_head_hidden_dim=64, mem_dim=16, memory_layers=1, memory_ff_dim=64, fuser_layers=1),
}

# The names the model catalog and users may give the sizes.
ALIASES = {"hiera_tiny": "hiera_t", "hiera_small": "hiera_s", "hiera_base_plus": "hiera_b+", "hiera_large": "hiera_l"}


class Mlp(nn.Module):
    """Linear layers named layers.0, layers.1, ... with an activation between them."""

    def __init__(self, dims, act=nn.ReLU):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.act = act()

    def forward(self, x):
        for i, lin in enumerate(self.layers):
            x = lin(x)
            if i < len(self.layers) - 1:
                x = self.act(x)
        return x


class LayerNorm2d(nn.Module):
    """LayerNorm over the channels of an NCHW map."""

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


# ---------------------------------------------------------------------------- Hiera
def pool2x2(x):
    """Max-pools an NHWC map by 2."""
    return F.max_pool2d(x.permute(0, 3, 1, 2), 2, 2).permute(0, 2, 3, 1)


def partition(x, size):
    """[B, H, W, C] -> [B * nWin, size, size, C]; whole windows by zero padding at the bottom/right."""
    b, h, w, c = x.shape
    ph, pw = (size - h % size) % size, (size - w % size) % size
    if ph or pw:
        x = F.pad(x, (0, 0, 0, pw, 0, ph))
    hp, wp = h + ph, w + pw
    x = x.view(b, hp // size, size, wp // size, size, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, size, size, c), (hp // size, wp // size)


def unpartition(x, grid, hw):
    """Inverse of partition for windows of any size (queries may have been pooled): crop to hw."""
    gh, gw = grid
    n, size, _, c = x.shape
    b = n // (gh * gw)
    x = x.view(b, gh, gw, size, size, c).permute(0, 1, 3, 2, 4, 5).reshape(b, gh * size, gw * size, c)
    return x[:, :hw[0], :hw[1], :]


class PooledAttention(nn.Module):
    """Self-attention whose queries may be max-pooled by 2 (the first block of a stage)."""

    def __init__(self, dim, dim_out, heads, pool):
        super().__init__()
        self.heads = heads
        self.pool = pool
        self.qkv = nn.Linear(dim, 3 * dim_out)
        self.proj = nn.Linear(dim_out, dim_out)

    def forward(self, x):
        b, h, w, _ = x.shape
        qkv = self.qkv(x)
        c = qkv.shape[-1] // 3
        q, k, v = qkv[..., :c], qkv[..., c:2 * c], qkv[..., 2 * c:]
        if self.pool:
            q = pool2x2(q)  # pooling whole channels pools every head alike
            h, w = h // 2, w // 2
        d = c // self.heads

        def heads(t):
            return t.reshape(b, -1, self.heads, d).transpose(1, 2)

        att = (heads(q) @ heads(k).transpose(-2, -1)) / math.sqrt(d)
        out = att.softmax(dim=-1) @ heads(v)
        return self.proj(out.transpose(1, 2).reshape(b, h, w, c))


class HieraBlock(nn.Module):
    def __init__(self, dim, dim_out, heads, window, pool):
        super().__init__()
        self.window = window
        self.pool = pool
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = PooledAttention(dim, dim_out, heads, pool)
        self.norm2 = nn.LayerNorm(dim_out, eps=1e-6)
        self.mlp = Mlp([dim_out, 4 * dim_out, dim_out], nn.GELU)
        if dim != dim_out:
            self.proj = nn.Linear(dim, dim_out)
        self.widens = dim != dim_out

    def forward(self, x):
        y = self.norm1(x)
        # A widening block's shortcut is projected from the normalised input and pooled like its queries.
        shortcut = x
        if self.widens:
            shortcut = self.proj(y)
            if self.pool:
                shortcut = pool2x2(shortcut)
        if self.window:
            hw = shortcut.shape[1:3]
            y, grid = partition(y, self.window)
            y = unpartition(self.attn(y), grid, hw)
        else:
            y = self.attn(y)
        x = shortcut + y
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, 7, stride=4, padding=3)

    def forward(self, x):
        return self.proj(x).permute(0, 2, 3, 1)


class Hiera(nn.Module):
    def __init__(self, cfg: Sam2Config):
        super().__init__()
        ends = [sum(cfg.stages[:i + 1]) - 1 for i in range(len(cfg.stages))]
        self.stage_ends = ends
        self.pos_embed = nn.Parameter(torch.zeros(1, cfg.embed_dim, *cfg.pos_embed_size))
        w0 = cfg.window_spec[0]
        self.pos_embed_window = nn.Parameter(torch.zeros(1, cfg.embed_dim, w0, w0))
        self.patch_embed = PatchEmbed(cfg.embed_dim)
        stage_of = [sum(i > e for e in ends) for i in range(ends[-1] + 1)]
        blocks = []
        for i, s in enumerate(stage_of):
            first = i > 0 and stage_of[i - 1] != s
            # A stage's first block sees the previous stage's resolution, so it partitions with
            # that stage's window; its pooled queries come out in windows half that size.
            window = 0 if i in cfg.global_att_blocks else cfg.window_spec[stage_of[i - 1] if first else s]
            dim_in = cfg.embed_dim * 2 ** stage_of[i - 1] if first else cfg.embed_dim * 2 ** s
            blocks.append(HieraBlock(dim_in, cfg.embed_dim * 2 ** s, cfg.num_heads * 2 ** s, window, first))
        self.blocks = nn.ModuleList(blocks)

    def positions(self, h, w):
        pos = F.interpolate(self.pos_embed, size=(h, w), mode="bicubic", align_corners=False)
        win = self.pos_embed_window
        pos = pos + win.repeat(1, 1, h // win.shape[2], w // win.shape[3])
        return pos.permute(0, 2, 3, 1)

    def forward(self, image):
        x = self.patch_embed(image)
        x = x + self.positions(x.shape[1], x.shape[2])
        out = []
        for i, blk in enumerate(self.blocks):
            x = blk(x)
            if i in self.stage_ends:
                out.append(x.permute(0, 3, 1, 2))
        return out  # strides 4, 8, 16, 32


class Lateral(nn.Module):
    def __init__(self, dim, d_model):
        super().__init__()
        self.conv = nn.Conv2d(dim, d_model, 1)


class FpnNeck(nn.Module):
    def __init__(self, cfg: Sam2Config):
        super().__init__()
        dims = [cfg.embed_dim * 2 ** s for s in range(len(cfg.stages))][::-1]  # coarsest first
        self.convs = nn.ModuleList(Lateral(d, cfg.d_model) for d in dims)

    def forward(self, feats):
        """Trunk outputs (fine to coarse) -> the stride 4, 8, 16 levels the image model uses."""
        n = len(feats) - 1
        lateral = [self.convs[n - i].conv(f) for i, f in enumerate(feats)]
        s16 = lateral[2] + F.interpolate(lateral[3], scale_factor=2.0, mode="nearest")
        return lateral[0], lateral[1], s16


class ImageEncoder(nn.Module):
    def __init__(self, cfg: Sam2Config):
        super().__init__()
        self.trunk = Hiera(cfg)
        self.neck = FpnNeck(cfg)


# ---------------------------------------------------------------------------- prompt encoder and mask decoder
class FourierPositions(nn.Module):
    """SAM's random-Fourier position encoding of coordinates in 0..1."""

    def __init__(self, half_dim):
        super().__init__()
        self.register_buffer("positional_encoding_gaussian_matrix", torch.randn(2, half_dim))

    def encode(self, coords01):
        proj = 2 * math.pi * ((2 * coords01 - 1) @ self.positional_encoding_gaussian_matrix)
        return torch.cat([torch.sin(proj), torch.cos(proj)], dim=-1)

    def grid(self, h, w):
        """Cell centres of an h x w grid -> [1, C, h, w]."""
        y = (torch.arange(h, dtype=torch.float32) + 0.5) / h
        x = (torch.arange(w, dtype=torch.float32) + 0.5) / w
        yy, xx = torch.meshgrid(y, x, indexing="ij")
        return self.encode(torch.stack([xx, yy], dim=-1)).permute(2, 0, 1).unsqueeze(0)


class PromptEncoder(nn.Module):
    def __init__(self, cfg: Sam2Config):
        super().__init__()
        d = cfg.d_model
        self.img_size = cfg.img_size
        self.grid_size = cfg.img_size // 16
        self.pe_layer = FourierPositions(d // 2)
        self.point_embeddings = nn.ModuleList(nn.Embedding(1, d) for _ in range(4))
        self.not_a_point_embed = nn.Embedding(1, d)
        self.mask_downscaling = nn.Sequential(
            nn.Conv2d(1, 4, 2, stride=2), LayerNorm2d(4), nn.GELU(),
            nn.Conv2d(4, 16, 2, stride=2), LayerNorm2d(16), nn.GELU(),
            nn.Conv2d(16, d, 1))
        self.no_mask_embed = nn.Embedding(1, d)

    def points(self, coords, labels):
        """Points [B, N, 2] in the input frame with labels [B, N]; SAM2ImagePredictor always appends
        a "not a point" (label -1), box or not, so this does too."""
        b = coords.shape[0]
        coords = torch.cat([coords + 0.5, torch.zeros(b, 1, 2)], dim=1)
        labels = torch.cat([labels, -torch.ones(b, 1)], dim=1)
        pe = self.pe_layer.encode(coords / self.img_size)
        lab = labels.unsqueeze(-1)
        out = pe * (lab != -1) + self.not_a_point_embed.weight * (lab == -1)
        for i in range(4):
            out = out + self.point_embeddings[i].weight * (lab == i)
        return out

    def masks_as_tokens(self, mask_input, has_mask):
        """The dense embedding (has_mask: mask_downscaling of the mask, else the no-mask vector) in the
        transformer's token order, [B, g*g, C]: the last 1x1 convolution runs as a product on
        channels-last pixels, so no per-prompt [C, g, g] map is transposed (only the 16 channels
        before it, 1/16 of the cost)."""
        small = self.mask_downscaling[:-1](mask_input)  # [B, 16, g, g]
        last = self.mask_downscaling[-1]
        tokens = small.flatten(2).transpose(1, 2) @ last.weight.reshape(last.weight.shape[0], -1).t() + last.bias
        has = has_mask.reshape(-1, 1, 1)
        return has * tokens + (1 - has) * self.no_mask_embed.weight.reshape(1, 1, -1)


# The two-way transformer is SAM 1's (sam1.py: attention orders that never project the image, the
# first layer's image side): SAM 2 changed only its MLP's parameter names.


class MaskDecoder(nn.Module):
    def __init__(self, cfg: Sam2Config):
        super().__init__()
        d = cfg.d_model
        self.transformer = TwoWayTransformer(d, 8, 2, lambda: Mlp([d, cfg.decoder_mlp_dim, d]))
        self.iou_token = nn.Embedding(1, d)
        self.mask_tokens = nn.Embedding(4, d)
        self.obj_score_token = nn.Embedding(1, d)
        self.output_upscaling = nn.Sequential(
            nn.ConvTranspose2d(d, d // 4, 2, stride=2), LayerNorm2d(d // 4), nn.GELU(),
            nn.ConvTranspose2d(d // 4, d // 8, 2, stride=2), nn.GELU())
        self.conv_s0 = nn.Conv2d(d, d // 8, 1)
        self.conv_s1 = nn.Conv2d(d, d // 4, 1)
        self.output_hypernetworks_mlps = nn.ModuleList(Mlp([d, d, d, d // 8]) for _ in range(4))
        self.iou_prediction_head = Mlp([d, cfg.iou_head_hidden_dim, cfg.iou_head_hidden_dim, 4])
        self.pred_obj_score_head = Mlp([d, d, d, 1])

    def forward(self, image_embed, image_pe, sparse, dense, s0, s1, blocks=False):
        """Image tensors with batch 1, shared by the B prompts of sparse [B, N, C] / dense as tokens
        [B, g*g, C] (PromptEncoder.masks_as_tokens) -> low-res logits of all 4 mask tokens
        [B, 4, 4g, 4g] (blocks: in the upscaling's block order, see upscaled_masks), IoU [B, 4],
        object score [B, 1].

        The embedding and its position encoding are put in token order once, at batch 1, and
        broadcast over the prompts: no per-prompt copy or transpose of the image."""
        src = image_embed.flatten(2).transpose(1, 2) + dense
        k0, k1 = skip_blocks(self.output_upscaling, s0, s1)
        return self.decode_tokens(src, None, image_pe, sparse, k0, k1, blocks)

    def image_side(self, image_embed, image_pe, dense, s0, s1):
        """What decoding without a mask prompt (dense [1, 1, C], the no-mask vector) computes from
        the image alone: the first layer's image side (sam1.ImageSide) and the skip features in the
        upscaling's block order (skip_blocks). The same for every click on an image: computed once."""
        src = image_embed.flatten(2).transpose(1, 2) + dense
        side = self.transformer.layers[0].image_side(src, image_pe.flatten(2).transpose(1, 2))
        return side, skip_blocks(self.output_upscaling, s0, s1)

    def decode_tokens(self, src, side, image_pe, sparse, k0, k1, blocks=False):
        """src: the image as tokens (with the dense prompt), or side: its first-layer image side;
        k0, k1: the skip features in block order (skip_blocks)."""
        b = sparse.shape[0]
        h, w = image_pe.shape[-2:]
        out_tokens = torch.cat([self.obj_score_token.weight, self.iou_token.weight, self.mask_tokens.weight], dim=0)
        tokens = torch.cat([out_tokens.unsqueeze(0).expand(b, -1, -1), sparse], dim=1)
        pos = image_pe.flatten(2).transpose(1, 2)
        hs, img = self.transformer(side.tokens if side is not None else src, pos, tokens, side)
        hyper = torch.stack([mlp(hs[:, 2 + i, :]) for i, mlp in enumerate(self.output_hypernetworks_mlps)], dim=1)
        masks = upscaled_masks(self.output_upscaling, img, hyper, k0, k1, h, w, blocks)
        iou = torch.sigmoid(self.iou_prediction_head(hs[:, 1, :]))
        return masks, iou, self.pred_obj_score_head(hs[:, 0, :])


# Embedding rows per band of the upscaling (upscaled_masks): a band's intermediates for a batch of
# 8 prompts stay in a core's cache between the operators.
UPSCALING_BAND_ROWS = 4


def skip_blocks(upscaling, s0, s1):
    """The skip features in the upscaling chain's block order (upscaled_masks), channels last:
    s1's pixel (2y + ky, 2x + kx) is block (ky, kx) of embedding pixel (y, x); s0's pixel
    (4y + 2 ky1 + ky2, 4x + 2 kx1 + kx2) is sub-block (ky2, kx2) of block (ky1, kx1). Channels go
    last first, so that the rearrangement moves whole runs of channels (an 8-axis transpose of
    single values took ONNX Runtime 1 ms per band); s0 takes the second convolution's bias here.
    s0 [1, C/8, 4h, 4w], s1 [1, C/4, 2h, 2w] -> k0 [1, h*w*4, 4 * C/8], k1 [1, h*w*4, C/4]."""
    conv1, _, _, conv2, _ = upscaling
    c1, c2 = conv1.weight.shape[1], conv2.weight.shape[1]
    h, w = s1.shape[2] // 2, s1.shape[3] // 2
    k1 = s1.permute(0, 2, 3, 1).reshape(1, h, 2, w, 2, c1).permute(0, 1, 3, 2, 4, 5).reshape(1, h * w * 4, c1)
    k0 = s0.permute(0, 2, 3, 1).reshape(1, h, 2, 2, w, 2, 2, c2).permute(0, 1, 4, 2, 5, 3, 6, 7)
    return k0.reshape(1, h * w * 4, 4 * c2) + conv2.bias.repeat(4), k1


def upscaled_masks(upscaling, img, hyper, k0, k1, h, w, blocks=False):
    """The x4 upscaling with the stride-8 / stride-4 features added, and the hypernetwork product.

    The official order is ConvTranspose2d(2, stride 2) + s1 -> LayerNorm2d -> GELU -> ConvTranspose2d
    + s0 -> GELU -> hyper @ features on [B, C, H, W] maps. A stride-2 kernel-2 transposed
    convolution sends each input pixel to its own 2 x 2 output block and every later step is per
    pixel, so here the chain runs on channels-last blocks per embedding pixel as plain matrix
    products (ONNX Runtime's CPU ConvTranspose and a LayerNorm over the channel axis cost several
    times more), with s1 and s0 rearranged into the same block order, and band by band (a few
    embedding rows at a time) so that the intermediates stay in cache; the masks' pixels are put
    in image order at the end, on the 4 mask channels. Same arithmetic, rounded differently.

    With blocks=True (the templates' decoders, the descriptor's low_res_order "blocks") they are
    not: each embedding pixel's 16 sub-pixels stay in the order the two 2x2 transposed
    convolutions make them (ky1, kx1, ky2, kx2; the sub-pixel lies at row 4y + 2 ky1 + ky2, column
    4x + 2 kx1 + kx2), the mask product gives mask-major values directly, and the plugin places
    the pixels while it copies the logits out of ONNX Runtime instead of an 8-axis transpose per
    band in the graph.

    img [B, h*w, C] (the transformer's image tokens), hyper [B, M, C/8], k0 and k1 the skip
    features in block order (skip_blocks, shared by the batch) -> [B, M, 4h, 4w]."""
    bands = []
    for r in range(0, h, UPSCALING_BAND_ROWS):
        rows = min(h, r + UPSCALING_BAND_ROWS) - r
        bands.append(upscaled_band(upscaling, img[:, r * w:(r + rows) * w], hyper, k0[:, 4 * r * w:4 * (r + rows) * w],
                                   k1[:, 4 * r * w:4 * (r + rows) * w], rows, w, blocks))
    masks = bands[0] if len(bands) == 1 else torch.cat(bands, dim=2)
    return masks.reshape(img.shape[0], hyper.shape[1], 4 * h, 4 * w) if blocks else masks


def place_blocks(masks):
    """Masks in the upscaling's block order (upscaled_masks(blocks=True)) -> image order."""
    b, m, s = masks.shape[0], masks.shape[1], masks.shape[2]
    g = s // 4
    return masks.reshape(b, m, g, g, 2, 2, 2, 2).permute(0, 1, 2, 4, 6, 3, 5, 7).reshape(b, m, s, s)


def upscaled_band(upscaling, img, hyper, k0, k1, h, w, blocks=False):
    """upscaled_masks on h whole embedding rows: img [B, h*w, C], k0 [1, h*w*4, 4 * C/8] and
    k1 [1, h*w*4, C/4] the same rows' skip features in block order -> [B, M, 4h, 4w], or with
    blocks=True [B, M, h*w*16] in block order."""
    conv1, norm, _, conv2, _ = upscaling
    b, m = img.shape[0], hyper.shape[1]
    c1, c2 = conv1.weight.shape[1], conv2.weight.shape[1]
    # transposed-convolution weights [in, out, ky, kx] -> [in, (ky, kx, out)]
    w1 = conv1.weight.permute(0, 2, 3, 1).reshape(conv1.weight.shape[0], 4 * c1)
    w2 = conv2.weight.permute(0, 2, 3, 1).reshape(c1, 4 * c2)
    # residual + (product + bias) on [B, S, C] before the LayerNorm: the decoder templates' fusion
    # pass makes it one SkipLayerNormalization (fusions.py), the skip broadcast over the batch
    x = k1 + ((img @ w1).reshape(b, h * w * 4, c1) + conv1.bias)
    x = F.gelu(F.layer_norm(x, (c1,), norm.weight, norm.bias, norm.eps))
    x = F.gelu(x @ w2 + k0)  # [B, h*w*(ky1, kx1), (ky2, kx2, c2)]
    if blocks:
        return hyper @ x.reshape(b, h * w * 16, c2).transpose(1, 2)  # [B, M, pixels x 16]
    masks = x.reshape(b, h * w * 16, c2) @ hyper.transpose(1, 2)  # [B, pixels x 16, M]
    # [B, y, x, ky1, kx1, ky2, kx2, M] -> [B, M, y, ky1, ky2, x, kx1, kx2]: row 4y + 2 ky1 + ky2
    masks = masks.reshape(b, h, w, 2, 2, 2, 2, m).permute(0, 7, 1, 3, 5, 2, 4, 6)
    return masks.reshape(b, m, 4 * h, 4 * w)


# ---------------------------------------------------------------------------- tracking-only tensors
def _attention(prefix, d, kv):
    out = []
    for p, i in (("q_proj", d), ("k_proj", kv), ("v_proj", kv)):
        out += [(prefix + p + ".weight", (d, i)), (prefix + p + ".bias", (d,))]
    return out + [(prefix + "out_proj.weight", (d, d)), (prefix + "out_proj.bias", (d,))]


def _norm(prefix, d):
    return [(prefix + "weight", (d,)), (prefix + "bias", (d,))]


def memory_attention_tensors(cfg):
    d, out = cfg.d_model, []
    for i in range(cfg.memory_layers):
        p = "layers.%d." % i
        out += _attention(p + "self_attn.", d, d) + _attention(p + "cross_attn_image.", d, cfg.mem_dim)
        out += [(p + "linear1.weight", (cfg.memory_ff_dim, d)), (p + "linear1.bias", (cfg.memory_ff_dim,)),
                (p + "linear2.weight", (d, cfg.memory_ff_dim)), (p + "linear2.bias", (d,))]
        out += _norm(p + "norm1.", d) + _norm(p + "norm2.", d) + _norm(p + "norm3.", d)
    return out + _norm("norm.", d)


def memory_encoder_tensors(cfg):
    d, out = cfg.d_model, []
    # The mask downsampler: four 3x3/2 convs (channels x4 each, from 1), each with a LayerNorm2d and
    # a GELU (no tensors), then a 1x1 conv to the model width.
    chans = [1, 4, 16, 64, 256]
    for j in range(4):
        out += [("mask_downsampler.encoder.%d.weight" % (3 * j), (chans[j + 1], chans[j], 3, 3)),
                ("mask_downsampler.encoder.%d.bias" % (3 * j), (chans[j + 1],))]
        out += _norm("mask_downsampler.encoder.%d." % (3 * j + 1), chans[j + 1])
    out += [("mask_downsampler.encoder.12.weight", (d, 256, 1, 1)), ("mask_downsampler.encoder.12.bias", (d,))]
    out += [("pix_feat_proj.weight", (d, d, 1, 1)), ("pix_feat_proj.bias", (d,))]
    for i in range(cfg.fuser_layers):  # ConvNeXt blocks
        p = "fuser.layers.%d." % i
        out += [(p + "gamma", (d,)), (p + "dwconv.weight", (d, 1, 7, 7)), (p + "dwconv.bias", (d,))]
        out += _norm(p + "norm.", d)
        out += [(p + "pwconv1.weight", (4 * d, d)), (p + "pwconv1.bias", (4 * d,)),
                (p + "pwconv2.weight", (d, 4 * d)), (p + "pwconv2.bias", (d,))]
    return out + [("out_proj.weight", (cfg.mem_dim, d, 1, 1)), ("out_proj.bias", (cfg.mem_dim,))]


def obj_ptr_proj_tensors(cfg):
    d = cfg.d_model
    return [t for i in range(3) for t in (("layers.%d.weight" % i, (d, d)), ("layers.%d.bias" % i, (d,)))]


class Holder(nn.Module):
    """Parameters of the given dotted names and shapes, in that order, and nothing else."""

    def __init__(self, tensors):
        super().__init__()
        for name, shape in tensors:
            owner = self
            *path, leaf = name.split(".")
            for part in path:
                if not hasattr(owner, part):
                    owner.add_module(part, nn.Module())
                owner = getattr(owner, part)
            owner.register_parameter(leaf, nn.Parameter(torch.zeros(shape)))


# ---------------------------------------------------------------------------- the model
class Sam2(nn.Module):
    """State-dict compatible with the official SAM 2.1 checkpoints, in the official order."""

    def __init__(self, cfg: Sam2Config):
        super().__init__()
        self.cfg = cfg
        d, m = cfg.d_model, cfg.mem_dim
        self.maskmem_tpos_enc = nn.Parameter(torch.zeros(cfg.num_maskmem, 1, 1, m))
        self.no_mem_embed = nn.Parameter(torch.zeros(1, 1, d))
        self.no_mem_pos_enc = nn.Parameter(torch.zeros(1, 1, d))
        self.no_obj_ptr = nn.Parameter(torch.zeros(1, d))
        self.no_obj_embed_spatial = nn.Parameter(torch.zeros(1, m))
        self.image_encoder = ImageEncoder(cfg)
        self.mask_downsample = Holder([("weight", (1, 1, 4, 4)), ("bias", (1,))])
        self.memory_attention = Holder(memory_attention_tensors(cfg))
        self.memory_encoder = Holder(memory_encoder_tensors(cfg))
        self.sam_prompt_encoder = PromptEncoder(cfg)
        self.sam_mask_decoder = MaskDecoder(cfg)
        self.obj_ptr_proj = Holder(obj_ptr_proj_tensors(cfg))
        self.obj_ptr_tpos_proj = Holder([("weight", (m, d)), ("bias", (m,))])

    def encode(self, image):
        """Normalised image [1, 3, S, S] -> (high_res_feats_0, high_res_feats_1, image_embed): what
        SAM2ImagePredictor.set_image keeps."""
        s4, s8, s16 = self.image_encoder.neck(self.image_encoder.trunk(image))
        dec = self.sam_mask_decoder
        return dec.conv_s0(s4), dec.conv_s1(s8), s16 + self.no_mem_embed.reshape(1, -1, 1, 1)

    def dense_pe(self):
        g = self.sam_prompt_encoder.grid_size
        return self.sam_prompt_encoder.pe_layer.grid(g, g)

    def decode(self, image_embed, s0, s1, point_coords, point_labels, mask_input, has_mask_input, blocks=False):
        pe = self.sam_prompt_encoder
        sparse = pe.points(point_coords, point_labels)
        dense = pe.masks_as_tokens(mask_input, has_mask_input)
        return self.sam_mask_decoder(image_embed, self.dense_pe(), sparse, dense, s0, s1, blocks)

    def image_side(self, image_embed, s0, s1):
        """The prompt-independent part of decoding without a mask prompt: (sam1.ImageSide, (k0, k1))."""
        dense = self.sam_prompt_encoder.no_mask_embed.weight.reshape(1, 1, -1)
        return self.sam_mask_decoder.image_side(image_embed, self.dense_pe(), dense, s0, s1)

    def decode_side(self, side, k0, k1, point_coords, point_labels, blocks=False):
        sparse = self.sam_prompt_encoder.points(point_coords, point_labels)
        return self.sam_mask_decoder.decode_tokens(None, side, self.dense_pe(), sparse, k0, k1, blocks)


def build(size):
    return Sam2(CONFIGS[ALIASES.get(size, size)]).eval()


# ---------------------------------------------------------------------------- ONNX interfaces
class EncoderGraph(nn.Module):
    """image [1, 3, S, S] (normalised, stretched) -> high_res_feats_0, high_res_feats_1, image_embed."""

    def __init__(self, sam):
        super().__init__()
        self.image_encoder = sam.image_encoder
        self.sam_mask_decoder = sam.sam_mask_decoder
        self.no_mem_embed = sam.no_mem_embed
        self.sam = [sam]  # not a submodule: the initializers keep the state-dict names

    def forward(self, image):
        return self.sam[0].encode(image)


class DecoderModules(nn.Module):
    """What the decoder graphs hold: the prompt encoder and mask decoder as submodules (so that the
    initializers keep the state-dict names) and the model itself outside the module tree."""

    def __init__(self, sam, blocks=False):
        super().__init__()
        self.sam_prompt_encoder = sam.sam_prompt_encoder
        self.sam_mask_decoder = sam.sam_mask_decoder
        self.sam = [sam]
        self.blocks = blocks


class DecoderGraph(DecoderModules):
    """The sam2-tiny fixture's decoder interface (samexporter's names): point_coords in the input
    frame without the +0.5, all four tokens' unclamped low-res logits. The image tensors have batch 1
    and are shared by the prompts along axis 0 (batch 1 in decoder.onnx, dynamic in decoder_batch.onnx).
    blocks=True (the templates'): the masks' pixels in the upscaling's block order (place_blocks)."""

    def forward(self, image_embed, high_res_feats_0, high_res_feats_1, point_coords, point_labels, mask_input,
                has_mask_input):
        return self.sam[0].decode(image_embed, high_res_feats_0, high_res_feats_1, point_coords, point_labels,
                                  mask_input, has_mask_input, self.blocks)


# The image-side graph's outputs, which the mask-free decoder takes under the same names: SAM 1's
# first-layer tensors and the skip features in the upscaling's block order.
IMAGE_SIDE_NAMES = ["image_tokens", "first_keys", "first_values", "first_queries", "skip_0_blocks", "skip_1_blocks"]


class ImageSideGraph(DecoderModules):
    """image_embed, high_res_feats_0, high_res_feats_1 -> the mask-free decoder's image side
    (IMAGE_SIDE_NAMES), run once per image."""

    def forward(self, image_embed, high_res_feats_0, high_res_feats_1):
        side, skips = self.sam[0].image_side(image_embed, high_res_feats_0, high_res_feats_1)
        return tuple(side) + tuple(skips)


class NoMaskDecoderGraph(DecoderModules):
    """The batch decoder for prompts without a mask, from an image's side (ImageSideGraph): prompts
    along axis 0; the outputs of DecoderGraph (with blocks=True, the templates', masks in block order)."""

    def forward(self, image_tokens, first_keys, first_values, first_queries, skip_0_blocks, skip_1_blocks,
                point_coords, point_labels):
        side = ImageSide(image_tokens, first_keys, first_values, first_queries)
        return self.sam[0].decode_side(side, skip_0_blocks, skip_1_blocks, point_coords, point_labels, self.blocks)
