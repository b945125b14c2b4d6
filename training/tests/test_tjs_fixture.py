"""The transformers.js fixture's glue (training/fixtures/make_tjs_fixtures.py, hf_sam.py): the
export-time stand-in for repeat_interleave computes what torch does, and HF's SamModel, run from
its own files through hf_sam's stand-ins, is the official SAM once HF's one deliberate difference
(the two-way transformer's LayerNorm epsilon) is undone. The second test needs transformers'
SAM files (HF_TRANSFORMERS_SRC, default /tmp/hf-src, see make_tjs_fixtures.py) and a
segment-anything checkout; it is skipped without them."""
import os
import sys

import pytest
import torch

from official_arch.official import import_sam1

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")
sys.path.insert(0, FIXTURES)
import make_tjs_fixtures  # noqa: E402

HF_SRC = os.environ.get("HF_TRANSFORMERS_SRC", "/tmp/hf-src")
HAS_HF = os.path.isfile(os.path.join(HF_SRC, "transformers", "models", "sam", "convert_sam_to_hf.py"))


@pytest.mark.parametrize("shape,n,dim", [((1, 4, 3, 3), 1, 0), ((1, 4, 3, 3), 5, 0), ((2, 4, 3), 3, 0),
                                         ((2, 4, 3), 2, 1), ((2, 4, 3), 2, -1)])
def test_repeat_interleave_stand_in_is_exact(shape, n, dim):
    x = torch.randn(*shape)
    want = make_tjs_fixtures._TORCH_REPEAT_INTERLEAVE(x, n, dim)
    assert torch.equal(make_tjs_fixtures._repeat_interleave(x, n, dim), want)
    assert torch.equal(make_tjs_fixtures._repeat_interleave(x, torch.tensor(n), dim), want)


@pytest.mark.skipif(not HAS_HF or import_sam1() is None, reason="no transformers SAM source or segment-anything")
def test_hf_sam_model_is_the_official_sam_up_to_its_layernorm_epsilon():
    from segment_anything.utils.onnx import SamOnnxModel
    hf = make_tjs_fixtures.hf_sam.import_hf_sam(HF_SRC)
    replace_keys = make_tjs_fixtures.hf_sam.hf_key_mapping(HF_SRC, hf.configuration, hf.modeling)
    state = torch.load(make_tjs_fixtures.CHECKPOINT, map_location="cpu")
    official = make_tjs_fixtures.make_sam1_fixtures.build(None)
    official.load_state_dict(state, strict=True)
    model = hf.modeling.SamModel(make_tjs_fixtures.hf_config(hf.configuration)).eval()
    model.load_state_dict(replace_keys(dict(state)), strict=True)
    for m in model.mask_decoder.transformer.modules():
        if isinstance(m, torch.nn.LayerNorm):
            m.eps = 1e-5  # HF: config.layer_norm_eps (1e-6); official: nn.LayerNorm's default
    torch.manual_seed(2)
    image = torch.randn(1, 3, 1024, 1024)
    points = torch.tensor([[[300.0, 420.0], [700.0, 200.0]]])
    with torch.no_grad():
        emb = official.image_encoder(image)
        assert torch.allclose(model.get_image_embeddings(image), emb, atol=1e-5)
        out = model(image_embeddings=emb, input_points=points[None], input_labels=torch.tensor([[[1, 0]]]))
        _, iou, low = SamOnnxModel(official, return_single_mask=False)(
            emb, torch.cat([points, torch.zeros(1, 1, 2)], 1), torch.tensor([[1.0, 0.0, -1.0]]),
            torch.zeros(1, 1, 256, 256), torch.tensor([0.0]), torch.tensor([1024.0, 1024.0]))
    assert torch.allclose(out.iou_scores[0, 0], iou[0, 1:], atol=1e-5)
    assert torch.allclose(out.pred_masks[0, 0], low[0, 1:], atol=1e-4)
