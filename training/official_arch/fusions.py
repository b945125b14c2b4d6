"""Graph rewrites applied to exported decoder templates, for operators ONNX Runtime's CPU build
has fused kernels for but does not form itself from what torch.onnx exports.

skip_layer_norms: LayerNormalization(residual + (x + bias)) -> com.microsoft SkipLayerNormalization
(x, residual, gamma, beta, bias). In the mask decoder the image tokens are updated this way twice per
prompt ([B, 4096, 256] each): three passes over the tensor (two additions, one normalisation) become
one. ONNX Runtime's optimiser did not form it from these graphs (no such node in a profile of the
exported decoder), and in the first layer of the mask-free graph the residual is one image's
tokens shared by the batch ([1, N, C]), which the kernel broadcasts.
Same arithmetic, summed in another order (differences around 1e-6).
"""
import onnx
from onnx import helper

MS_DOMAIN = "com.microsoft"


def _shapes(model):
    inferred = onnx.shape_inference.infer_shapes(model)
    shapes = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        dims = vi.type.tensor_type.shape.dim
        shapes[vi.name] = [d.dim_value if d.HasField("dim_value") else d.dim_param for d in dims]
    for init in model.graph.initializer:
        shapes[init.name] = list(init.dims)
    return shapes


def _consumers(graph):
    uses = {}
    for node in graph.node:
        for name in node.input:
            uses.setdefault(name, []).append(node)
    for out in graph.output:
        uses.setdefault(out.name, []).append(None)
    return uses


def _broadcasts_as_skip(skip, x):
    """SkipLayerNormalization takes a skip of x's shape or of [1, S, H]."""
    return len(skip) == 3 and len(x) == 3 and skip[1:] == x[1:] and skip[0] in (1, x[0])


def skip_layer_norms(model):
    """Rewrites model in place; returns how many normalisations were fused."""
    graph = model.graph
    shapes = _shapes(model)
    producers = {out: node for node in graph.node for out in node.output}
    uses = _consumers(graph)
    initializers = {i.name for i in graph.initializer}
    fused = 0
    for ln in list(graph.node):
        if ln.op_type != "LayerNormalization" or len(ln.input) < 3 or len(ln.output) != 1:
            continue
        axis = next((a.i for a in ln.attribute if a.name == "axis"), -1)
        eps = next((a.f for a in ln.attribute if a.name == "epsilon"), 1e-5)
        total = producers.get(ln.input[0])
        if axis not in (-1, 2) or total is None or total.op_type != "Add" or len(uses.get(total.output[0], [])) != 1:
            continue
        a, b = total.input
        # the pattern: residual + (x + bias), the bias a 1-D initializer added here only
        bias, x, skip, bias_add = None, None, None, None
        for mine, other in ((a, b), (b, a)):
            p = producers.get(mine)
            if p is not None and p.op_type == "Add" and len(uses.get(mine, [])) == 1:
                c0, c1 = p.input
                for cand, rest in ((c1, c0), (c0, c1)):
                    if cand in initializers and len(shapes.get(cand, [])) == 1:
                        bias, x, skip, bias_add = cand, rest, other, p
                        break
            if bias is not None:
                break
        if bias is None:
            continue
        # Shapes inside the exported graph are mostly unknown to ONNX's inference (reshapes by
        # computed shapes); what must hold is checked where known: x a 3-D [B, S, H] and the
        # residual x's shape or [1, S, H] (one image's tokens shared by the batch).
        sx, ss = shapes.get(x) or None, shapes.get(skip) or None
        if sx is not None and len(sx) != 3:
            continue
        if sx is not None and ss is not None and not _broadcasts_as_skip(ss, sx):
            continue
        if ss is not None and len(ss) != 3:
            continue
        inputs = [x, skip, ln.input[1], ln.input[2], bias]
        node = helper.make_node("SkipLayerNormalization", inputs, [ln.output[0]], name=ln.name + "/Skip",
                                domain=MS_DOMAIN, epsilon=eps)
        at = list(graph.node).index(ln)
        graph.node.insert(at, node)
        for old in (ln, total, bias_add):
            graph.node.remove(old)
        fused += 1
    if fused and not any(o.domain == MS_DOMAIN for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid(MS_DOMAIN, 1))
    return fused
