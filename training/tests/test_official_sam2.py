"""Our SAM 2.1 (official_arch/sam2.py) loads official state dicts strictly, in the official order,
and reproduces the official model's outputs. Needs the official sources in $SAM2_SRC (default
/tmp/sam2-src; how to get them: training/fixtures/make_sam2_fixtures.py). Like the SAM 1 and
micro-sam parity tests, the module is skipped where the official sources are absent (a CI machine
has no checkout and no network): there the Java ConvertedSam2FidelityTest holds the converted
model to outputs the official code produced (committed fixtures)."""
import os
import sys

import numpy as np
import pytest
import torch

from official_arch import sam2

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")
sys.path.insert(0, FIXTURES)
SRC = os.environ.get("SAM2_SRC", "/tmp/sam2-src")
if not os.path.isdir(os.path.join(SRC, "sam2")):
    pytest.skip("no facebookresearch/sam2 sources in " + SRC + " (SAM2_SRC; see training/fixtures/"
                "make_sam2_fixtures.py)", allow_module_level=True)

import make_sam2_fixtures as official  # noqa: E402  (shims, then the official classes)
import official_sam2  # noqa: E402


@pytest.fixture(scope="module")
def tiny():
    """The official tiny model of the sam2-tiny fixture, and ours with its state dict."""
    ref = official.build_model()
    ours = sam2.build("tiny")
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ref, ours


def test_tiny_keys_and_order_equal_official(tiny):
    ref, ours = tiny
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in ref.state_dict().items()]


def test_tiny_encoder_matches_official(tiny):
    ref, ours = tiny
    torch.manual_seed(1)
    image = torch.randn(1, 3, 1024, 1024)
    with torch.no_grad():
        # The trunk alone: the fixture damps the neck, which would hide trunk differences.
        for a, b in zip(ref.image_encoder.trunk(image), ours.image_encoder.trunk(image)):
            assert torch.allclose(a, b, atol=1e-4, rtol=1e-4), (a - b).abs().max()
        for a, b in zip(official.EncoderExport(ref)(image), sam2.EncoderGraph(ours)(image)):
            assert torch.allclose(a, b, atol=1e-6, rtol=1e-4), (a - b).abs().max()


def _image_and_points(ref, g):
    """The official encoder's tensors for a random image, and 3 prompts of 2 points (every label)."""
    f0, f1, emb = official.EncoderExport(ref)(torch.randn(1, 3, 1024, 1024, generator=g))
    coords = torch.rand(3, 2, 2, generator=g) * 1024
    return f0, f1, emb, coords, torch.tensor([[1.0, 0.0], [2.0, 3.0], [1.0, 1.0]])


def test_tiny_decoder_matches_official(tiny):
    ref, ours = tiny
    g = torch.Generator().manual_seed(2)
    with torch.no_grad():
        f0, f1, emb, coords, labels = _image_and_points(ref, g)
        mask = torch.randn(3, 1, 256, 256, generator=g) * 5
        has = torch.tensor([0.0, 1.0, 1.0])
        want = official.DecoderExport(ref, True)(emb, f0, f1, coords, labels, mask, has)
        got = sam2.DecoderGraph(ours)(emb, f0, f1, coords, labels, mask, has)
        for a, b in zip(want, got):
            assert torch.allclose(a, b, atol=1e-4, rtol=1e-5), (a - b).abs().max()
        # the templates' form: mask pixels in the upscaling's block order, placed by the plugin
        blocks = sam2.DecoderGraph(ours, blocks=True)(emb, f0, f1, coords, labels, mask, has)
        assert not torch.allclose(blocks[0], want[0], atol=1e-3)
        assert torch.allclose(sam2.place_blocks(blocks[0]), want[0], atol=1e-4, rtol=1e-5)
        for a, b in zip(want[1:], blocks[1:]):
            assert torch.allclose(a, b, atol=1e-4, rtol=1e-5), (a - b).abs().max()


def test_tiny_image_side_and_mask_free_decoder_match_official(tiny):
    """The mask-free pair (image side once per image, then prompts) gives the official decoder's
    outputs for prompts without a mask, in image order and in block order placed."""
    ref, ours = tiny
    with torch.no_grad():
        f0, f1, emb, coords, labels = _image_and_points(ref, torch.Generator().manual_seed(3))
        want = official.DecoderExport(ref, True)(emb, f0, f1, coords, labels, torch.zeros(3, 1, 256, 256),
                                                 torch.zeros(3))
        side = sam2.ImageSideGraph(ours)(emb, f0, f1)
        assert len(side) == len(sam2.IMAGE_SIDE_NAMES)
        got = sam2.NoMaskDecoderGraph(ours)(*side, coords, labels)
        for a, b in zip(want, got):
            assert torch.allclose(a, b, atol=1e-4, rtol=1e-5), (a - b).abs().max()
        blocks = sam2.NoMaskDecoderGraph(ours, blocks=True)(*side, coords, labels)
        assert torch.allclose(sam2.place_blocks(blocks[0]), want[0], atol=1e-4, rtol=1e-5)


def test_tiny_gives_the_official_predictor_outputs(tiny):
    """SAM2ImagePredictor end to end (its own preprocessing and prompt handling) on the fixture's
    wide image, with our encoder and decoder in place of the official modules' outputs."""
    ref, ours = tiny
    from PIL import Image
    predictor = official.SAM2ImagePredictor(ref)
    img = np.asarray(Image.open(os.path.join(official.REF, "blobs_1272x603.png")).convert("RGB"))
    predictor.set_image(img)
    x = predictor._transforms(img)[None]
    with torch.no_grad():
        f0, f1, emb = sam2.EncoderGraph(ours)(x)
    assert torch.allclose(predictor._features["image_embed"], emb, atol=1e-6)
    point = np.array([[400.0, 300.0]])
    masks, scores, low = predictor.predict(point_coords=point, point_labels=np.array([1]), multimask_output=True)
    pc = torch.tensor(point, dtype=torch.float32)[None] * torch.tensor([1024 / 1272, 1024 / 603])
    with torch.no_grad():
        all_low, iou, _ = sam2.DecoderGraph(ours)(emb, f0, f1, pc, torch.ones(1, 1), torch.zeros(1, 1, 256, 256),
                                                  torch.zeros(1))
    assert np.allclose(scores, iou[0, 1:].numpy(), atol=1e-5)
    assert np.allclose(low, all_low[0, 1:].clamp(-32, 32).numpy(), atol=1e-3, rtol=1e-4)


@pytest.mark.parametrize("size", ["hiera_t", "hiera_s", "hiera_b+", "hiera_l"])
def test_official_sizes_load_strictly(size):
    """The official configs (sam2/configs/sam2.1/*.yaml): same names, shapes and order."""
    ref = official_sam2.build(size).state_dict()
    ours = sam2.build(size)
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == [(k, tuple(v.shape)) for k, v in ref.items()]
    ours.load_state_dict(ref, strict=True)
