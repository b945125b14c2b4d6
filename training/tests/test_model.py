import math

import numpy as np
import pytest
import torch

from sam_model import build_sam, CONFIGS
from sam_model.prompt import PromptEncoder
from losses import focal_loss, dice_loss, mask_loss, min_over_masks, true_iou


@pytest.fixture(scope="module")
def tiny():
    torch.manual_seed(0)
    return build_sam("tiny").eval()


def test_light_encoder_shape(tiny):
    with torch.no_grad():
        y = tiny.encoder(torch.randn(1, 3, 1024, 1024))
    assert y.shape == (1, 32, 64, 64)
    with torch.no_grad():  # fully convolutional: a crop gives the crop's cells
        assert tiny.encoder(torch.randn(2, 3, 256, 256)).shape == (2, 32, 16, 16)


def test_vit_encoder_shape():
    m = build_sam("tiny_vit").eval()
    with torch.no_grad():
        y = m.encoder(torch.randn(1, 3, 1024, 1024))
    assert y.shape == (1, 32, 64, 64)
    assert CONFIGS["vit_b"]["encoder"]["depth"] == 12 and CONFIGS["vit_b"]["encoder"]["dim"] == 768


def test_prompt_encoder_shapes_and_padding():
    torch.manual_seed(0)
    p = PromptEncoder(16, 1024, 8)
    coords = torch.tensor([[[100.0, 200.0], [0.0, 0.0]], [[5.0, 6.0], [900.0, 800.0]]])
    labels = torch.tensor([[1.0, -1.0], [2.0, 3.0]])
    s = p.sparse(coords, labels)
    assert s.shape == (2, 2, 16)
    # padding point: exactly the "not a point" embedding, independent of its coordinates
    assert torch.allclose(s[0, 1], p.not_a_point)
    s2 = p.sparse(torch.tensor([[[100.0, 200.0], [512.0, 77.0]]]), torch.tensor([[1.0, -1.0]]))
    assert torch.allclose(s2[0, 1], s[0, 1])
    # fg point = PE + fg embedding
    pe = p.pe.encode(coords[0, 0] / 1024)
    assert torch.allclose(s[0, 0], pe + p.label_embed[1], atol=1e-6)
    d = p.dense(torch.randn(2, 1, 256, 256), torch.tensor([1.0, 0.0]))
    assert d.shape == (2, 16, 64, 64)
    assert torch.allclose(d[1], p.no_mask.view(-1, 1, 1).expand(16, 64, 64))


def test_decoder_shapes(tiny):
    emb = torch.randn(1, 32, 64, 64)
    with torch.no_grad():
        low, iou = tiny.decode(emb, torch.rand(3, 4, 2) * 1024, torch.tensor([[1.0, 0, 2, 3]] * 3),
                               torch.zeros(3, 1, 256, 256), torch.zeros(3))
        assert low.shape == (3, 4, 256, 256) and iou.shape == (3, 4)
        low, iou = tiny.decode(emb[..., :16, :16], torch.rand(2, 2, 2) * 256, torch.tensor([[1.0, -1]] * 2),
                               torch.zeros(2, 1, 64, 64), torch.ones(2), 0, 0)
        assert low.shape == (2, 4, 64, 64)


def test_focal_loss_known_values():
    # logit 0 -> p = 0.5, ce = ln 2, (1-pt)^2 = 0.25
    l1 = focal_loss(torch.zeros(1, 1, 1), torch.ones(1, 1, 1))
    assert math.isclose(l1.item(), 0.25 * math.log(2) * 0.25, rel_tol=1e-5)
    l0 = focal_loss(torch.zeros(1, 1, 1), torch.zeros(1, 1, 1))
    assert math.isclose(l0.item(), 0.75 * math.log(2) * 0.25, rel_tol=1e-5)
    # confident and right -> ~0; confident and wrong -> large
    assert focal_loss(torch.full((1, 2, 2), 20.0), torch.ones(1, 2, 2)).item() < 1e-8
    assert focal_loss(torch.full((1, 2, 2), -20.0), torch.ones(1, 2, 2)).item() > 4.9


def test_dice_loss_known_values():
    t = torch.tensor([[[1.0, 1.0], [0.0, 0.0]]])
    perfect = dice_loss(torch.tensor([[[50.0, 50.0], [-50.0, -50.0]]]), t)
    assert perfect.item() < 1e-6
    # p = 0.5 everywhere: 1 - (2*1 + 1) / (2 + 2 + 1) = 0.4
    assert math.isclose(dice_loss(torch.zeros(1, 2, 2), t).item(), 0.4, rel_tol=1e-6)
    assert math.isclose(mask_loss(torch.zeros(1, 2, 2), t).item(),
                        20 * focal_loss(torch.zeros(1, 2, 2), t).item() + 0.4, rel_tol=1e-6)


def test_min_over_masks_picks_lowest():
    losses = torch.tensor([[3.0, 1.0, 2.0], [0.5, 4.0, 0.1]])
    v, i = min_over_masks(losses)
    assert i.tolist() == [1, 2] and torch.allclose(v, torch.tensor([1.0, 0.1]))


def test_true_iou():
    t = torch.tensor([[[1.0, 1.0], [0.0, 0.0]]])
    assert true_iou(torch.tensor([[[1.0, -1.0], [-1.0, -1.0]]]), t).item() == 0.5


def test_shared_head_shapes_and_batch_independence():
    torch.manual_seed(0)
    m = build_sam("tiny_shared").eval()
    emb = torch.randn(1, 32, 64, 64)
    coords = torch.rand(3, 2, 2) * 1024
    labels = torch.tensor([[1.0, -1]] * 3)
    with torch.no_grad():
        low, iou = m.decode(emb, coords, labels, torch.zeros(3, 1, 256, 256), torch.zeros(3))
        assert low.shape == (3, 4, 256, 256) and iou.shape == (3, 4)
        # each prompt's masks do not depend on the other prompts of the batch
        one, one_iou = m.decode(emb, coords[1:2], labels[1:2], torch.zeros(1, 1, 256, 256), torch.zeros(1))
        assert torch.allclose(one, low[1:2], atol=1e-5) and torch.allclose(one_iou, iou[1:2], atol=1e-5)
        # crops of the 64x64 grid give 4x crops of the low-res frame
        low, _ = m.decode(emb[..., :16, :16], coords[:2] / 4, labels[:2], torch.zeros(2, 1, 64, 64),
                          torch.ones(2), 0, 0)
        assert low.shape == (2, 4, 64, 64)


def test_shared_head_prompts_differ():
    """The coarse term must make the masks depend on the prompt position."""
    torch.manual_seed(0)
    m = build_sam("tiny_shared").eval()
    for p in m.decoder.hyper.parameters():  # make sure the coarse weights are not zero
        torch.nn.init.normal_(p, std=0.5)
    emb = torch.randn(1, 32, 64, 64)
    coords = torch.tensor([[[100.0, 100.0], [0, 0]], [[900.0, 900.0], [0, 0]]])
    with torch.no_grad():
        low, _ = m.decode(emb, coords, torch.tensor([[1.0, -1]] * 2), torch.zeros(2, 1, 256, 256), torch.zeros(2))
    assert (low[0] - low[1]).abs().max() > 1e-3


def test_warm_start_grows_hypernetwork_outputs():
    from train import warm_start
    torch.manual_seed(0)
    old = build_sam("tiny")
    new = build_sam("tiny_shared")
    report = warm_start(new, old.state_dict())
    w_old = old.decoder.hyper[0].layers[2].weight
    w_new = new.decoder.hyper[0].layers[2].weight
    assert w_new.shape[0] == w_old.shape[0] + 16
    assert torch.equal(w_new[:w_old.shape[0]], w_old) and not w_new[w_old.shape[0]:].any()
    assert torch.equal(new.encoder.stem.conv.weight, old.encoder.stem.conv.weight)
    assert "new []" in report and "decoder.hyper.0.layers.2.weight" in report

