"""The conversion templates committed for the tests are what templates.py makes today (the export
is deterministic), and every checkpoint tensor has a place: in a weights file or listed unused."""
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("family", ["sam1", "sam2"])
def test_tiny_template_is_up_to_date(tmp_path, family):
    committed = os.path.join(ROOT, "src", "test", "resources", "templates", family, "tiny")
    subprocess.run([sys.executable, os.path.join(ROOT, "training", "official_arch", "templates.py"), "--family", family,
                    "--size", "tiny", "--out", str(tmp_path)], check=True, capture_output=True)
    graphs = ("decoder_batch_no_mask.onnx", "decoder_image_side.onnx")
    for f in ("encoder.onnx", "decoder.onnx", "decoder_batch.onnx", "manifest.json") + graphs:
        with open(tmp_path / f, "rb") as a, open(os.path.join(committed, f), "rb") as b:
            assert a.read() == b.read(), f + " differs: regenerate the template (training/README.md)"


def test_every_tensor_has_a_place():
    for size_dir in ("src/test/resources/templates/sam1/tiny", "src/test/resources/templates/sam1/tiny_t",
                     "src/main/resources/templates/sam1/vit_b", "src/main/resources/templates/sam1/vit_l",
                     "src/main/resources/templates/sam1/vit_h",
                     "src/main/resources/templates/sam1/vit_t", "src/test/resources/templates/sam2/tiny",
                     "src/main/resources/templates/sam2/hiera_t", "src/main/resources/templates/sam2/hiera_s",
                     "src/main/resources/templates/sam2/hiera_b+", "src/main/resources/templates/sam2/hiera_l"):
        with open(os.path.join(ROOT, size_dir, "manifest.json")) as f:
            m = json.load(f)
        names = [t["name"] for t in m["tensors"]]
        placed = {e["name"] for entries in m["weights"].values() for e in entries}
        assert placed | set(m["unused"]) == set(names), size_dir
        assert not placed & set(m["unused"]), size_dir
        # The key biases of the tokens-to-image attentions drop out: the decoders move the key
        # projection onto the queries, where the bias adds the same to every key of a query and
        # leaves the softmax unchanged (sam1.py TokenAttention.tokens_to_image, which SAM 2 shares).
        unused = [k for k in m["unused"] if not k.endswith(("cross_attn_token_to_image.k_proj.bias",
                                                            "final_attn_token_to_image.k_proj.bias"))]
        if m["family"] == "sam2":
            # Only the tracking modules are unused: every other image-path tensor is in a graph.
            video = ("memory_attention.", "memory_encoder.", "obj_ptr_proj.", "obj_ptr_tpos_proj.", "mask_downsample.",
                     "maskmem_tpos_enc", "no_mem_pos_enc", "no_obj_ptr", "no_obj_embed_spatial")
            assert all(k.startswith(video) for k in unused), size_dir
