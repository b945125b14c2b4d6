"""Our micro-sam instance decoder (official_arch/microsam_decoder.py) against torch-em's UNETR as
micro-sam builds it, from a torch-em checkout (TORCH_EM_OFFICIAL, default /tmp/torch-em-official);
skipped without one."""
import pytest
import torch

from official_arch import microsam_decoder as md
from official_arch.official import import_torch_em_unetr

unetr = import_torch_em_unetr()
pytestmark = pytest.mark.skipif(unetr is None, reason="no torch-em checkout (TORCH_EM_OFFICIAL)")


class _Encoder(torch.nn.Module):
    """Just what UNETR reads from a SAM image encoder: its size, patch embedding and neck."""

    def __init__(self, channels):
        super().__init__()
        self.img_size = 1024
        self.patch_embed = torch.nn.Module()
        self.patch_embed.proj = torch.nn.Conv2d(3, 8, 16, 16)
        self.neck = torch.nn.Sequential(torch.nn.Conv2d(8, channels, 1), torch.nn.Identity(),
                                        torch.nn.Conv2d(channels, channels, 3, padding=1))


@pytest.mark.parametrize("transposed", [False, True])
def test_decoder_state_loads_strictly_and_matches(transposed):
    torch.manual_seed(0)
    u = unetr.UNETR(backbone="sam", encoder=_Encoder(32), out_channels=3, use_sam_stats=True,
                    final_activation="Sigmoid", use_skip_connection=False, resize_input=True,
                    use_conv_transpose=transposed, initial_features=8).eval()
    state = {k: v for k, v in u.state_dict().items() if not k.startswith("encoder")}
    ours = md.build(state)  # strict
    kind, embed, initial = md.dims_of(state)
    assert (kind, embed, initial) == ("transposed" if transposed else "interpolate", 32, 8)
    z = torch.randn(1, 32, 64, 64)
    with torch.no_grad():
        z9 = u.deconv1(z)
        z6 = u.deconv2(z9)
        z3 = u.deconv3(z6)
        x = u.decoder(u.base(z), encoder_inputs=[z9, z6, z3])
        ref = u.final_activation(u.out_conv(u.decoder_head(torch.cat([u.deconv_out(x), u.deconv4(z3)], 1))))
        got = ours(z)
    assert got.shape == (1, 3, 1024, 1024)
    assert (got - ref).abs().max().item() < 1e-4
