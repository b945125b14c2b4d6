"""micro-sam's instance decoder written from its architecture, with the parameter names and
shapes of the "decoder_state" that micro-sam's AIS checkpoints (vit_*_lm, vit_*_em_organelles)
carry beside "model_state", so that decoder_state loads with load_state_dict(strict=True).

The decoder is the convolutional half of a UNETR (torch-em) built on the SAM image encoder with
three output channels, no skip connections from the encoder's blocks and a sigmoid at the end.
Without skips it reads nothing but the image embedding (the neck's 256 x 64 x 64, the same for
ViT-B/L/H and TinyViT), so one graph serves every encoder size:

  base          ConvBlock(256 -> 512) on the embedding (64 x 64)
  deconv1..4    four x2 upsamplings of the embedding: 256 -> 512 -> 256 -> 128 -> 64 channels
                at 128, 256, 512, 1024 pixels (each: upsample, 3x3 conv, batch norm, ReLU)
  decoder       three steps: upsample x2 halving the channels, concatenate with the centre
                half of the channels of deconv1 / 2 / 3's map, ConvBlock
  deconv_out    x2 upsampling to 1024, concatenated with deconv4's map, decoder_head ConvBlock,
                out_conv 1x1 to 3 channels, sigmoid: foreground, centre distance, boundary
                distance over the padded 1024 x 1024 input frame.

A ConvBlock is (instance norm, 3x3 conv, ReLU) twice; instance norms have no parameters.
"Upsample" is either bilinear interpolation (align_corners=False) followed by a 1x1 conv
(parameters "...conv.weight") or a 2x2 stride-2 transposed conv ("...block.weight"): micro-sam
tells them apart by the names under decoder.samplers, and so does upsampler_of().

Batch norm is written out (x - mean) / sqrt(var + eps) * weight + bias so that the ONNX export
keeps running_mean / running_var as the checkpoint's tensors instead of folding them into the
preceding convolution under new names.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

EMBED = 256        # the SAM neck's channels: every micro-sam size
INITIAL = 64       # torch-em's initial_features: the decoder's channels are 8, 4, 2, 1 times it
OUT = ("foreground", "center_distance", "boundary_distance")
# micro-sam's InstanceSegmentationWithDecoder.generate defaults
THRESHOLDS = {"foreground_threshold": 0.5, "center_distance_threshold": 0.5, "boundary_distance_threshold": 0.5}
UPSAMPLERS = ("interpolate", "transposed")


def upsampler_of(state):
    """"transposed" when the decoder's samplers are transposed convolutions, as micro-sam decides."""
    return "transposed" if any(".block." in k for k in state if k.startswith("decoder.samplers")) else "interpolate"


class Interpolate2x(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False))


class Transposed2x(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.block = nn.ConvTranspose2d(cin, cout, kernel_size=2, stride=2)

    def forward(self, x):
        return self.block(x)


def _up(kind, cin, cout):
    return Interpolate2x(cin, cout) if kind == "interpolate" else Transposed2x(cin, cout)


class BatchNorm(nn.Module):
    """Inference-time batch norm with nn.BatchNorm2d's tensor names."""

    def __init__(self, channels, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.register_buffer("running_mean", torch.zeros(channels))
        self.register_buffer("running_var", torch.ones(channels))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))
        self.eps = eps

    def forward(self, x):
        scale = (self.weight / torch.sqrt(self.running_var + self.eps)).view(1, -1, 1, 1)
        return (x - self.running_mean.view(1, -1, 1, 1)) * scale + self.bias.view(1, -1, 1, 1)


class Conv3x3(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.block = nn.Conv2d(cin, cout, 3, padding=1)

    def forward(self, x):
        return self.block(x)


class UpBlock(nn.Module):
    """Upsample x2, 3x3 conv, batch norm, ReLU (indices 0..3 of "block")."""

    def __init__(self, kind, cin, cout):
        super().__init__()
        self.block = nn.Sequential(_up(kind, cin, cout), Conv3x3(cout, cout), BatchNorm(cout), nn.ReLU())

    def forward(self, x):
        return self.block(x)


class InstanceNorm(nn.Module):
    """Instance norm without parameters (eps 1e-5), its variance taken about the mean (two
    passes): ONNX Runtime's InstanceNormalization loses about three decimals on maps whose mean is
    large against their spread, as the ReLU outputs feeding these norms can be."""

    def forward(self, x):
        centred = x - x.mean(dim=(2, 3), keepdim=True)
        return centred / torch.sqrt(centred.pow(2).mean(dim=(2, 3), keepdim=True) + 1e-5)


class ConvBlock(nn.Module):
    """(instance norm, 3x3 conv, ReLU) x 2: the convolutions at "block.1" and "block.4"."""

    def __init__(self, cin, cout):
        super().__init__()
        self.block = nn.Sequential(InstanceNorm(), nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(),
                                   InstanceNorm(), nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())

    def forward(self, x):
        return self.block(x)


class Steps(nn.Module):
    def __init__(self, kind, features):
        super().__init__()
        pairs = list(zip(features[:-1], features[1:]))
        self.blocks = nn.ModuleList([ConvBlock(a, b) for a, b in pairs])
        self.samplers = nn.ModuleList([_up(kind, a, b) for a, b in pairs])

    def forward(self, x, skips):
        for block, sampler, skip in zip(self.blocks, self.samplers, skips):
            x = sampler(x)
            # The skip map has twice the channels: its centre half is used (the UNet's crop to the
            # upsampled map's shape, applied to the channel axis as well).
            c = x.shape[1]
            lo = (skip.shape[1] - c) // 2
            x = block(torch.cat([x, skip[:, lo:lo + c]], dim=1))
        return x


class InstanceDecoder(nn.Module):
    def __init__(self, kind="interpolate", embed=EMBED, initial=INITIAL):
        super().__init__()
        if kind not in UPSAMPLERS:
            raise ValueError("upsampler must be one of %s, not %r" % (UPSAMPLERS, kind))
        self.kind = kind
        f = [initial * 8, initial * 4, initial * 2, initial]
        self.base = ConvBlock(embed, f[0])
        self.decoder = Steps(kind, f)
        self.deconv1 = UpBlock(kind, embed, f[0])
        self.deconv2 = UpBlock(kind, f[0], f[1])
        self.deconv3 = UpBlock(kind, f[1], f[2])
        self.deconv4 = UpBlock(kind, f[2], f[3])
        self.deconv_out = _up(kind, f[3], f[3])
        self.decoder_head = ConvBlock(2 * f[3], f[3])
        self.out_conv = nn.Conv2d(f[3], len(OUT), 1)

    def forward(self, embedding):
        """[B, 256, 64, 64] -> [B, 3, 1024, 1024] probabilities over the padded input frame
        (the output is 16 times the embedding's side)."""
        d1 = self.deconv1(embedding)
        d2 = self.deconv2(d1)
        d3 = self.deconv3(d2)
        d4 = self.deconv4(d3)
        x = self.decoder(self.base(embedding), [d1, d2, d3])
        x = self.decoder_head(torch.cat([self.deconv_out(x), d4], dim=1))
        return torch.sigmoid(self.out_conv(x))


def dims_of(state):
    """(upsampler, embedding channels, initial features) of a decoder_state."""
    out, embed = state["base.block.1.weight"].shape[:2]
    return upsampler_of(state), int(embed), int(out) // 8


def template_name(kind, embed, initial):
    """The conversion template of a decoder (org.fijisam.convert names it the same way)."""
    return "%s_%d_%d" % (kind, embed, initial)


def build(state=None, kind="interpolate", embed=EMBED, initial=INITIAL, graph=False):
    """The decoder (the export graph's form when graph is set); with a micro-sam decoder_state,
    its dimensions come from the state, which is loaded strictly."""
    if state is not None:
        kind, embed, initial = dims_of(state)
    d = (InstanceDecoderGraph if graph else InstanceDecoder)(kind, embed, initial).eval()
    if state is not None:
        d.load_state_dict(state, strict=True)
    return d


class InstanceDecoderGraph(InstanceDecoder):
    """The exported graph: one output per map, each [1, 1, 1024, 1024]; the parameters keep the
    decoder_state names (no wrapping module)."""

    def forward(self, image_embeddings):
        y = super().forward(image_embeddings)
        return y[:, 0:1], y[:, 1:2], y[:, 2:3]
