"""Full model + configurations."""
import copy
import torch
import torch.nn as nn

from .encoders import build_encoder
from .prompt import PromptEncoder
from .decoder import MaskDecoder

_LIGHT = dict(
    encoder=dict(type="light", widths=(32, 64, 128), depths=(1, 2, 4), kernel=7, expand=2, out_chans=256),
    dim=64, depth=2, heads=4, mlp_dim=256, cross_internal=32, up_chans=(16, 16), mask_hidden=16)
_TINY = dict(
    encoder=dict(type="light", widths=(8, 16, 16), depths=(1, 1, 1), kernel=3, expand=2, out_chans=32),
    dim=16, depth=1, heads=2, mlp_dim=32, cross_internal=16, up_chans=(8, 8), mask_hidden=8)

CONFIGS = {
    # light CNN encoder + small two-way decoder with SAM's output head (the default model of session 1)
    "light": _LIGHT,
    # default model since session 2: the same encoder and transformer, with the cheap "shared"
    # output head (see MaskDecoder.shared_head); warm-started from a "light" checkpoint
    "light_shared": dict(_LIGHT, head="shared"),
    # ViT-B/16 sized encoder twin (speed measurements)
    "vit_b": dict(_LIGHT, encoder=dict(type="vit", dim=768, depth=12, heads=12, window=14,
                                       global_blocks=(2, 5, 8, 11), out_chans=256)),
    # tiny configs for unit tests
    "tiny": _TINY,
    "tiny_shared": dict(_TINY, head="shared"),
    "tiny_vit": dict(_TINY, encoder=dict(type="vit", img_size=1024, dim=32, depth=2, heads=2, window=14,
                                         global_blocks=(1,), out_chans=32)),
}


class Sam(nn.Module):
    def __init__(self, cfg, input_size=1024):
        super().__init__()
        self.cfg = copy.deepcopy(cfg)
        self.input_size = input_size
        self.embed_chans = cfg["encoder"]["out_chans"]
        self.encoder = build_encoder(cfg["encoder"])
        self.prompt = PromptEncoder(cfg["dim"], input_size, cfg["mask_hidden"])
        self.decoder = MaskDecoder(self.embed_chans, cfg["dim"], cfg["depth"], cfg["heads"], cfg["mlp_dim"],
                                   cfg["cross_internal"], tuple(cfg["up_chans"]), 4,
                                   cfg.get("head", "sam"))

    def decode(self, emb, coords, labels, mask_input, has_mask, oy=0, ox=0):
        """emb [1,C,h,w] (possibly a crop of the 64x64 grid at cell offset oy, ox);
        coords [B,N,2] in the 1024 frame; mask_input [B,1,4h,4w]; has_mask [B].
        Returns low-res logits [B,4,4h,4w] and iou [B,4]."""
        h, w = emb.shape[-2:]
        pe = self.prompt.pe.grid(h, w, oy, ox, self.input_size // 16)
        sparse = self.prompt.sparse(coords, labels)
        dense = self.prompt.dense_tokens(mask_input, has_mask)
        return self.decoder(emb, pe, sparse, dense)


def build_sam(name_or_cfg="light"):
    cfg = CONFIGS[name_or_cfg] if isinstance(name_or_cfg, str) else name_or_cfg
    return Sam(cfg)
