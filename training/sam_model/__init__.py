"""Segment-Anything style model (image encoder, prompt encoder, mask decoder),
written from the SAM paper (Kirillov et al. 2023) for the Fiji plugin."""
from .encoders import LightEncoder, ViTEncoder, build_encoder
from .prompt import PromptEncoder, FourierPE
from .decoder import MaskDecoder
from .sam import Sam, build_sam, CONFIGS

__all__ = ["LightEncoder", "ViTEncoder", "build_encoder", "PromptEncoder", "FourierPE",
           "MaskDecoder", "Sam", "build_sam", "CONFIGS"]
