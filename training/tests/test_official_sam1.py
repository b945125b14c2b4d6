"""Our SAM 1 (official_arch/sam1.py) loads official state dicts strictly and reproduces the
official model's outputs. Needs a checkout of segment-anything (see official_arch/official.py);
skipped without one."""
import os
import sys

import pytest
import torch

from official_arch import sam1
from official_arch.official import import_sam1

official = import_sam1()
pytestmark = pytest.mark.skipif(official is None, reason="no segment-anything checkout (SAM1_OFFICIAL)")

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")


def official_tiny():
    sys.path.insert(0, FIXTURES)
    import make_sam1_fixtures
    return make_sam1_fixtures.build(None)


def test_tiny_matches_official_outputs():
    ref = official_tiny()
    ours = sam1.build("tiny")
    ours.load_state_dict(ref.state_dict(), strict=True)
    torch.manual_seed(1)
    image = torch.randn(1, 3, 1024, 1024)
    with torch.no_grad():
        e_ref = ref.image_encoder(image)
        e_ours = ours.image_encoder(image)
        assert torch.allclose(e_ref, e_ours, atol=1e-5), (e_ref - e_ours).abs().max()
        from segment_anything.utils.onnx import SamOnnxModel
        wrapper = SamOnnxModel(ref, return_single_mask=False)
        coords = torch.tensor([[[100.0, 200.0], [500.5, 300.0], [0.0, 0.0]]])
        labels = torch.tensor([[1.0, 0.0, -1.0]])
        mask = torch.randn(1, 1, 256, 256)
        for has in (0.0, 1.0):
            args = (e_ref, coords, labels, mask, torch.tensor([has]), torch.tensor([603.0, 1272.0]))
            m_ref, iou_ref, low_ref = wrapper(*args)
            m, iou, low = sam1.DecoderGraph(ours)(*args)
            assert torch.allclose(low_ref, low, atol=1e-5)
            assert torch.allclose(iou_ref, iou, atol=1e-5)
            assert torch.allclose(m_ref, m, atol=1e-5)
            b_iou, b_low = sam1.DecoderGraph(ours, batch=True)(e_ref, coords.expand(2, -1, -1),
                                                                labels.expand(2, -1), mask.expand(2, -1, -1, -1),
                                                                torch.tensor([has, has]))
            assert torch.allclose(b_low[1:], low_ref, atol=1e-5)
            assert torch.allclose(b_iou[1:], iou_ref, atol=1e-5)
            if has == 0.0:  # the mask-free batch graph: first layer's image side shared by the batch
                n_iou, n_low = sam1.DecoderGraph(ours, batch=True)(e_ref, coords.expand(2, -1, -1),
                                                                    labels.expand(2, -1))
                assert torch.allclose(n_low[1:], low_ref, atol=1e-5)
                assert torch.allclose(n_iou[1:], iou_ref, atol=1e-5)
                side = sam1.ImageSideGraph(ours)(e_ref)  # the same from the image side's two graphs
                n_iou, n_low = sam1.NoMaskDecoderGraph(ours)(*side, coords.expand(2, -1, -1), labels.expand(2, -1))
                assert torch.allclose(n_low[1:], low_ref, atol=1e-5)
                assert torch.allclose(n_iou[1:], iou_ref, atol=1e-5)
                # the templates' graph leaves the pixels in the upscaling's block order
                b_iou, b_low = sam1.NoMaskDecoderGraph(ours, blocks=True)(*side, coords.expand(2, -1, -1),
                                                                           labels.expand(2, -1))
                assert not torch.allclose(b_low[1:], low_ref, atol=1e-3)
                assert torch.allclose(sam1.place_blocks(b_low)[1:], low_ref, atol=1e-5)
                assert torch.allclose(b_iou[1:], iou_ref, atol=1e-5)


@pytest.mark.parametrize("size", ["vit_b"])
def test_names_and_shapes_equal_official(size):
    from segment_anything import sam_model_registry
    ref = sam_model_registry[size](checkpoint=None)
    ours = sam1.build(size)
    want = {k: tuple(v.shape) for k, v in ref.state_dict().items()}
    have = {k: tuple(v.shape) for k, v in ours.state_dict().items()}
    assert have == want
    ours.load_state_dict(ref.state_dict(), strict=True)
