"""The transformers.js SAM 2 fixture's glue (training/fixtures/make_tjs_sam2_fixtures.py, hf_sam.py):
HF's Sam2Model, run from its own files through hf_sam's stand-ins and given the tiny official
SAM 2.1 checkpoint through HF's own key mapping, loads every weight it has; and the exported prompt
path (box tensor always given, box tokens cut to 3 * min(nb, 1)) computes what HF's
Sam2Model.forward computes for a box prompt. Needs transformers' SAM 2 files
(HF_TRANSFORMERS_SRC, default /tmp/hf-src, with convert_sam2_to_hf.py) and the official sam2
sources (SAM2_SRC, default /tmp/sam2-src); skipped without them."""
import os
import sys

import pytest
import torch

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")
HF_SRC = os.environ.get("HF_TRANSFORMERS_SRC", "/tmp/hf-src")
SAM2_SRC = os.environ.get("SAM2_SRC", "/tmp/sam2-src")
READY = (os.path.isfile(os.path.join(HF_SRC, "transformers", "models", "sam2", "convert_sam2_to_hf.py"))
         and os.path.isdir(os.path.join(SAM2_SRC, "sam2")))
pytestmark = pytest.mark.skipif(not READY, reason="no transformers SAM 2 source or official sam2 source")


@pytest.fixture(scope="module")
def fixture():
    sys.path.insert(0, FIXTURES)
    import make_tjs_sam2_fixtures as t
    hf = t.hf_sam.import_hf_sam(HF_SRC, "sam2")
    return t, t.load_hf(hf, t.hf_sam.hf_sam2_key_mapping(HF_SRC, hf.configuration, hf.modeling))


def test_every_weight_of_hf_sam2_model_comes_from_the_checkpoint(fixture):
    t, model = fixture
    state = torch.load(t.CHECKPOINT, map_location="cpu")["model"]
    assert torch.equal(model.no_memory_embedding, state["no_mem_embed"])
    assert torch.equal(model.prompt_encoder.point_embed.weight[2], state["sam_prompt_encoder.point_embeddings.2.weight"][0])


def test_the_exported_prompt_path_is_hf_sam2_forward_for_a_box(fixture):
    t, model = fixture
    torch.manual_seed(3)
    with torch.no_grad():
        emb = model.get_image_embeddings(torch.randn(1, 3, 1024, 1024))
        points, labels = torch.tensor([[[[300.0, 420.0]]]]), torch.tensor([[[1]]])
        box = torch.tensor([[[100.0, 200.0, 600.0, 700.0]]])
        iou, masks, obj = t.PromptDecoderGraph(model)(points, labels, box, *emb)
        out = model(image_embeddings=emb, input_points=points, input_labels=labels, input_boxes=box.clone())
    assert torch.equal(iou, out.iou_scores)
    assert torch.equal(masks, out.pred_masks)
    assert torch.equal(obj, out.object_score_logits)
