"""The local diffusers animator on CPU with a tiny, randomly initialised LTX-Video model.

The model is built here (as diffusers' own tests build theirs), saved to a folder, and loaded
back by the provider from that LOCAL path with the hub forced offline. Skipped cleanly when
torch, diffusers or transformers are not installed (they are the `diffusers` extra).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
diffusers = pytest.importorskip("diffusers")
transformers = pytest.importorskip("transformers")

from microfilm.providers.base import AnimateRequest
from microfilm.providers.diffusers_local import DiffusersAnimator
from microfilm.providers.media_check import probe_video
from tests.fakes import media

WORDS = "a an the old man woman girl boy train station rain window smiles turns waves walks slowly light".split()


def _tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {"<pad>": 0, "</s>": 1, "<unk>": 2, **{w: i + 3 for i, w in enumerate(WORDS)}}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="</s>",
                                   unk_token="<unk>", model_max_length=128)


def build_tiny_ltx(folder: Path) -> Path:
    """A random LTX-Video image-to-video pipeline a few hundred kB big, saved to `folder`."""
    from diffusers import (
        AutoencoderKLLTXVideo,
        FlowMatchEulerDiscreteScheduler,
        LTXImageToVideoPipeline,
        LTXVideoTransformer3DModel,
    )
    from transformers import T5Config, T5EncoderModel

    torch.manual_seed(0)
    transformer = LTXVideoTransformer3DModel(
        in_channels=8, out_channels=8, patch_size=1, patch_size_t=1, num_attention_heads=4,
        attention_head_dim=8, cross_attention_dim=32, num_layers=1, caption_channels=32)
    torch.manual_seed(0)
    vae = AutoencoderKLLTXVideo(
        in_channels=3, out_channels=3, latent_channels=8, block_out_channels=(8, 8, 8, 8),
        decoder_block_out_channels=(8, 8, 8, 8), layers_per_block=(1, 1, 1, 1, 1),
        decoder_layers_per_block=(1, 1, 1, 1, 1),
        spatio_temporal_scaling=(True, True, False, False),
        decoder_spatio_temporal_scaling=(True, True, False, False),
        decoder_inject_noise=(False, False, False, False, False),
        upsample_residual=(False, False, False, False), upsample_factor=(1, 1, 1, 1),
        timestep_conditioning=False, patch_size=1, patch_size_t=1, encoder_causal=True,
        decoder_causal=False)
    vae.use_framewise_encoding = False
    vae.use_framewise_decoding = False
    torch.manual_seed(0)
    text_encoder = T5EncoderModel(T5Config(vocab_size=len(WORDS) + 3, d_model=32, d_kv=8, d_ff=37,
                                           num_layers=1, num_heads=4, relative_attention_num_buckets=8,
                                           decoder_start_token_id=0, pad_token_id=0, eos_token_id=1))
    pipe = LTXImageToVideoPipeline(scheduler=FlowMatchEulerDiscreteScheduler(), vae=vae,
                                   text_encoder=text_encoder, tokenizer=_tokenizer(),
                                   transformer=transformer)
    pipe.save_pretrained(folder)
    return folder


@pytest.mark.timeout(600)
def test_tiny_ltx_from_a_local_folder_animates_a_keyframe(tmp_path, monkeypatch, capsys):
    model = build_tiny_ltx(tmp_path / "tiny-ltx")
    monkeypatch.setenv("MICROFILM_DIFFUSERS_MODEL", str(model))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert DiffusersAnimator.missing() == []
    key = media.keyframe(tmp_path / "key.png", 64, 112)
    request = AnimateRequest(out=tmp_path / "clip.mp4", image=key, image_sha256="b" * 64,
                             duration=1.0, width=72, height=128, fps=24, prompt="the old man waves")
    animator = DiffusersAnimator(steps=2, gen_short_edge=32, model_fps=8, device="cpu")
    t0 = time.perf_counter()
    result = animator.animate(request)
    seconds = time.perf_counter() - t0
    assert animator.plan(request) == (32, 64, 9)
    info = probe_video(request.out)
    assert (info.width, info.height) == (72, 128) and not info.vfr and info.fps == pytest.approx(24, abs=0.01)
    assert result.duration == pytest.approx(9 / 8, abs=0.05)
    # frames are real pictures: not one flat colour
    import av
    import numpy as np

    with av.open(str(request.out)) as c:
        frame = next(c.decode(video=0)).to_ndarray(format="rgb24")
    assert np.asarray(frame).std() > 1.0
    size_kb = sum(p.stat().st_size for p in model.rglob("*") if p.is_file()) / 1024
    with capsys.disabled():
        print(f"\ndiffusers-local on CPU: tiny LTX ({size_kb:.0f} kB on disk) -> 9 frames 32x64, "
              f"2 steps, load+run {seconds:.1f} s")


def test_missing_says_what_to_set(monkeypatch, tmp_path):
    monkeypatch.delenv("MICROFILM_DIFFUSERS_MODEL", raising=False)
    assert any("set MICROFILM_DIFFUSERS_MODEL" in m for m in DiffusersAnimator.missing())
    monkeypatch.setenv("MICROFILM_DIFFUSERS_MODEL", str(tmp_path))
    assert any("no model_index.json" in m for m in DiffusersAnimator.missing())
