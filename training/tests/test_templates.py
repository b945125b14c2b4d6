"""The conversion templates committed for the tests are what templates.py makes today (the export
is deterministic), and every checkpoint tensor has a place: in a weights file or listed unused."""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMMITTED = os.path.join(ROOT, "src", "test", "resources", "templates", "sam1", "tiny")


def test_tiny_template_is_up_to_date(tmp_path):
    subprocess.run([sys.executable, os.path.join(ROOT, "training", "official_arch", "templates.py"), "--size", "tiny",
                    "--out", str(tmp_path)], check=True, capture_output=True)
    for f in ("encoder.onnx", "decoder.onnx", "decoder_batch.onnx", "decoder_batch_no_mask.onnx", "manifest.json"):
        with open(tmp_path / f, "rb") as a, open(os.path.join(COMMITTED, f), "rb") as b:
            assert a.read() == b.read(), f + " differs: regenerate the template (training/README.md)"


def test_every_tensor_has_a_place():
    for size_dir in ("src/test/resources/templates/sam1/tiny", "src/test/resources/templates/sam1/tiny_t",
                     "src/main/resources/templates/sam1/vit_b", "src/main/resources/templates/sam1/vit_l",
                     "src/main/resources/templates/sam1/vit_t"):
        with open(os.path.join(ROOT, size_dir, "manifest.json")) as f:
            m = json.load(f)
        names = [t["name"] for t in m["tensors"]]
        placed = {e["name"] for entries in m["weights"].values() for e in entries}
        assert placed | set(m["unused"]) == set(names), size_dir
        assert not placed & set(m["unused"]), size_dir
