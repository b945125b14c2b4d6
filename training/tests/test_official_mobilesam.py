"""Our TinyViT SAM (official_arch: sam1.py with tinyvit.py) loads official MobileSAM state dicts
strictly and reproduces the official model's outputs. Needs a checkout of ChaoningZhang/MobileSAM
(MOBILESAM_OFFICIAL, default /tmp/mobilesam-official); skipped without one."""
import os
import sys

import pytest
import torch

from official_arch import sam1
from official_arch.official import import_mobilesam

official = import_mobilesam()
pytestmark = pytest.mark.skipif(official is None, reason="no MobileSAM checkout (MOBILESAM_OFFICIAL)")
FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")


def official_tiny_t():
    sys.path.insert(0, FIXTURES)
    import make_convert_fixtures
    return make_convert_fixtures.build_mobilesam()


def randomise(model):
    torch.manual_seed(3)
    with torch.no_grad():
        for k, t in model.state_dict().items():
            if t.is_floating_point():
                t.copy_(torch.randn_like(t) * 0.1 + (1.0 if "running_var" in k else 0.0))
                if "running_var" in k:
                    t.abs_()
    return model


def test_vit_t_names_and_shapes_equal_official():
    ref = official.sam_model_registry["vit_t"](checkpoint=None)
    ours = sam1.build("vit_t")
    want = {k: tuple(v.shape) for k, v in ref.state_dict().items()}
    have = {k: tuple(v.shape) for k, v in ours.state_dict().items()}
    assert have == want
    ours.load_state_dict(ref.state_dict(), strict=True)


def test_tiny_t_matches_official_outputs():
    ref = randomise(official_tiny_t()).eval()
    ours = sam1.build("tiny_t")
    ours.load_state_dict(ref.state_dict(), strict=True)
    torch.manual_seed(1)
    image = torch.randn(1, 3, 1024, 1024)
    with torch.no_grad():
        e_ref = ref.image_encoder(image)
        e_ours = ours.image_encoder(image)
        assert torch.allclose(e_ref, e_ours, atol=1e-4), (e_ref - e_ours).abs().max()
        from mobile_sam.utils.onnx import SamOnnxModel
        wrapper = SamOnnxModel(ref, return_single_mask=False)
        args = (e_ref, torch.tensor([[[100.0, 200.0], [500.5, 300.0]]]), torch.tensor([[1.0, 0.0]]),
                torch.randn(1, 1, 256, 256), torch.tensor([1.0]), torch.tensor([603.0, 1272.0]))
        m_ref, iou_ref, low_ref = wrapper(*args)
        m, iou, low = sam1.DecoderGraph(ours)(*args)
        assert torch.allclose(low_ref, low, atol=1e-4)
        assert torch.allclose(iou_ref, iou, atol=1e-5)
