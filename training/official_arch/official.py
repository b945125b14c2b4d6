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


def mobilesam_checkout():
    path = os.environ.get("MOBILESAM_OFFICIAL", "/tmp/mobilesam-official")
    return path if os.path.isdir(os.path.join(path, "mobile_sam")) else None


def import_mobilesam():
    """mobile_sam imports timm for three helpers only (DropPath, to_2tuple, trunc_normal_) and a
    model registry; without timm installed, a stand-in module provides them."""
    path = mobilesam_checkout()
    if path is None:
        return None
    try:
        import timm  # noqa: F401
    except ImportError:
        _timm_stand_in()
    if path not in sys.path:
        sys.path.insert(0, path)
    import mobile_sam
    return mobile_sam


def _timm_stand_in():
    import types
    import torch
    import torch.nn as nn

    class DropPath(nn.Module):
        def __init__(self, drop_prob=None):
            super().__init__()
            self.drop_prob = drop_prob

        def forward(self, x):
            return x

    layers = types.ModuleType("timm.models.layers")
    layers.DropPath = DropPath
    layers.to_2tuple = lambda x: tuple(x) if isinstance(x, (tuple, list)) else (x, x)
    layers.trunc_normal_ = lambda t, std=1.0, **kw: nn.init.trunc_normal_(t, std=std)
    registry = types.ModuleType("timm.models.registry")
    registry.register_model = lambda fn: fn
    models = types.ModuleType("timm.models")
    models.layers, models.registry = layers, registry
    timm = types.ModuleType("timm")
    timm.models = models
    sys.modules.update({"timm": timm, "timm.models": models, "timm.models.layers": layers,
                        "timm.models.registry": registry})


def torch_em_checkout():
    path = os.environ.get("TORCH_EM_OFFICIAL", "/tmp/torch-em-official")
    return path if os.path.isfile(os.path.join(path, "torch_em", "model", "unetr.py")) else None


def import_torch_em_unetr():
    """torch_em.model.unetr from a checkout of constantinpape/torch-em, loaded on its own: the
    package's __init__ imports training and data code (and their dependencies) that the UNETR
    does not need, and unetr.py's vision-transformer factory is only used for encoders named by
    a string (micro-sam passes the SAM encoder module), so a stand-in takes its place."""
    import importlib.util
    import types
    path = torch_em_checkout()
    if path is None:
        return None
    if "torch_em.model.unetr" in sys.modules:
        return sys.modules["torch_em.model.unetr"]
    model_dir = os.path.join(path, "torch_em", "model")
    pkg = types.ModuleType("torch_em")
    pkg.__path__ = []
    model = types.ModuleType("torch_em.model")
    model.__path__ = [model_dir]
    vit = types.ModuleType("torch_em.model.vit")
    vit.get_vision_transformer = None
    sys.modules.update({"torch_em": pkg, "torch_em.model": model, "torch_em.model.vit": vit})
    for name in ("unet", "unetr"):
        spec = importlib.util.spec_from_file_location("torch_em.model." + name, os.path.join(model_dir, name + ".py"))
        m = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = m
        spec.loader.exec_module(m)
    return sys.modules["torch_em.model.unetr"]
