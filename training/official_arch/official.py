"""Where the official code is imported from, for the tests and fixture scripts only: a checkout
of facebookresearch/segment-anything (SAM1_OFFICIAL, default /tmp/sam1-official). Nothing of it
is copied into this repository."""
import os
import sys


def sam1_checkout():
    path = os.environ.get("SAM1_OFFICIAL", "/tmp/sam1-official")
    return path if os.path.isdir(os.path.join(path, "segment_anything")) else None


def import_sam1():
    path = sam1_checkout()
    if path is None:
        return None
    if path not in sys.path:
        sys.path.insert(0, path)
    import segment_anything
    return segment_anything
