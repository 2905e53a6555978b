"""Every real provider against its local fake server: round trip, refusal, rate limit.

Official SDKs (openai, google-genai, runwayml, replicate, elevenlabs) are pointed at the fake
with their own base_url; the others speak httpx. Results are checked as media: clips are
decoded, images opened, audio converted to WAV 48 kHz and measured.
"""

from __future__ import annotations

import importlib
import wave
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from microfilm.errors import ProviderError
from microfilm.ledger import Ledger, Status
from microfilm.providers import catalogue
from microfilm.providers.base import AnimateRequest, LipSyncRequest, PaintRequest, ScoreRequest, SpeechRequest
from microfilm.providers.jobs import RefusedError, RetryPolicy, execute
from microfilm.providers.media_check import probe_video
from microfilm.spec.bible import VoiceSpec
from tests.fakes import media
from tests.fakes.server import FakeServer

FAST = RetryPolicy(retries=3, base_delay=0.01, max_delay=0.05, poll_interval=0.01,
                   max_poll_interval=0.02, max_wait=10.0)


@dataclass(frozen=True)
class Case:
    id: str
    fake: str  # tests.fakes.<fake>
    module: str  # microfilm.providers.<module>
    cls: str
    base: str = ""  # path appended to the fake's base URL
    sdk: str = ""  # module to importorskip
    refuse_on: str = "submit"


CASES = [
    Case("runway-gen4", "runway", "runway", "RunwayGen4", sdk="runwayml"),
    Case("runway-gen4.5", "runway", "runway", "RunwayGen45", sdk="runwayml"),
    Case("sora-2", "openai", "openai_media", "Sora2", "/v1", "openai"),
    Case("openai-image", "openai", "openai_media", "OpenAIImage", "/v1", "openai", "call"),
    Case("openai-tts", "openai", "openai_media", "OpenAITTS", "/v1", "openai", ""),
    Case("veo", "google", "google", "Veo", "", "google.genai"),
    Case("gemini-image", "google", "google", "GeminiImage", "", "google.genai", "call"),
    Case("kling", "kling", "kling", "Kling"),
    Case("kling-v3", "kling", "kling", "KlingV3"),
    Case("veo-3.1", "google", "google", "Veo31", "", "google.genai"),
    Case("gemini-omni-flash", "google", "google", "GeminiOmni"),
    Case("gemini-image-3.1", "google", "google", "GeminiImage31", "", "google.genai", "call"),
    Case("gemini-image-3-pro", "google", "google", "GeminiImage3Pro", "", "google.genai", "call"),
    Case("openai-image-2.5", "openai", "openai_media", "OpenAIImage25", "/v1", "openai", "call"),
    Case("fal-kling", "fal", "fal", "FalKling"),
    Case("fal-wan", "fal", "fal", "FalWan"),
    Case("fal-seedance", "fal", "fal", "FalSeedance"),
    Case("fal-seedance-2", "fal", "fal", "FalSeedance2"),
    Case("fal-hailuo", "fal", "fal", "FalHailuo"),
    Case("fal-ltx", "fal", "fal", "FalLTX"),
    Case("fal-lipsync", "fal", "fal", "FalLipSync", refuse_on=""),
    Case("replicate", "replicate", "replicate", "Replicate", "", "replicate"),
    Case("ark-seedance", "ark", "ark", "ArkSeedance", "/api/v3"),
    Case("ark-seedance-2", "ark", "ark", "ArkSeedance2", "/api/v3"),
    Case("ark-seedream", "ark", "ark", "ArkSeedream", "/api/v3", "", "call"),
    Case("dashscope-wan", "dashscope", "dashscope", "DashScopeWan"),
    Case("dashscope-wan-3", "dashscope", "dashscope", "DashScopeWan3"),
    Case("dashscope-qwen-image", "dashscope", "dashscope", "QwenImage", "", "", "call"),
    Case("dashscope-qwen-tts", "dashscope", "dashscope", "QwenTTS", "", "", "call"),
    Case("dashscope-cosyvoice", "dashscope", "dashscope", "CosyVoice", "", "", "call"),
    Case("minimax-hailuo", "minimax", "minimax", "MiniMaxHailuo"),
    Case("minimax-h3", "minimax", "minimax", "MiniMaxH3"),
    Case("minimax-speech", "minimax", "minimax", "MiniMaxSpeech", "", "", "call"),
    Case("minimax-speech-2.8", "minimax", "minimax", "MiniMaxSpeech28", "", "", "call"),
    Case("elevenlabs-voice", "elevenlabs", "elevenlabs", "ElevenVoice", "", "elevenlabs", "call"),
    Case("elevenlabs-v3", "elevenlabs", "elevenlabs", "ElevenVoiceV3", "", "elevenlabs", "call"),
    Case("elevenlabs-music", "elevenlabs", "elevenlabs", "ElevenMusic", "", "elevenlabs", ""),
]

KEY = "test-key-0123456789abcdef"


def _cls(case: Case):
    if case.sdk:
        pytest.importorskip(case.sdk)
    return getattr(importlib.import_module(f"microfilm.providers.{case.module}"), case.cls)


@pytest.fixture()
def keys_env(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("KLING_ACCESS_KEY", "kling-access")
    monkeypatch.setenv("KLING_SECRET_KEY", "kling-secret-for-tests")


def _serve(case: Case) -> FakeServer:
    server = FakeServer()
    importlib.import_module(f"tests.fakes.{case.fake}").install(server)
    server.start()
    return server


def _provider(case: Case, server: FakeServer):
    cls = _cls(case)
    api_key = None if case.fake == "kling" else KEY
    return cls(api_key=api_key, base_url=server.base_url + case.base, timeout=5.0)


def _request(provider, tmp_path: Path):
    cap = provider.info.capability
    if cap == "lipsync":
        clip, line = tmp_path / "silent.mp4", tmp_path / "line.wav"
        clip.write_bytes(media.clip(3.0))
        line.write_bytes(media.audio(1.5, "wav"))
        return LipSyncRequest(out=tmp_path / "synced.mp4", video=clip, video_sha256="c" * 64,
                              audio=line, audio_sha256="d" * 64, duration=3.0, width=72,
                              height=128, fps=24)
    if cap == "animator":
        key = media.keyframe(tmp_path / "key.png")
        return AnimateRequest(out=tmp_path / "clip.mp4", image=key, image_sha256="a" * 64,
                              duration=provider.info.capabilities.min_duration, width=72,
                              height=128, fps=24, prompt="an old man waves at the train")
    if cap == "painter":
        return PaintRequest(out=tmp_path / "frame.png", prompt="a grandmother at dusk, warm light",
                            width=90, height=160, genre="touching-family")
    if cap == "voice":
        return SpeechRequest(out=tmp_path / "line.wav", text="妈，我回来了。", language="zh",
                             voice=VoiceSpec(gender="male"))  # a son: every voice has a man's
    return ScoreRequest(out=tmp_path / "score.wav", genre="touching-family", mood="warm",
                        tempo_bpm=80, mode="major", duration=12.0, scene_starts=(0.0, 6.0))


def _check_output(provider, request, result) -> None:
    cap = provider.info.capability
    assert Path(result.path) == Path(request.out) and request.out.exists()
    if cap == "lipsync":  # the clip's length and size, now with the line's sound
        info = probe_video(request.out)
        assert (info.width, info.height) == (72, 128) and info.has_audio and result.has_audio
        assert abs(info.duration - request.duration) < 0.15
    elif cap == "animator":
        info = probe_video(request.out)
        assert (info.width, info.height) == (72, 128)
        assert abs(info.duration - provider.duration_for(request.duration)) < 0.15
        assert result.has_audio == info.has_audio
    elif cap == "painter":
        with Image.open(request.out) as im:
            assert im.size == (90, 160)
    else:
        with wave.open(str(request.out)) as w:
            assert w.getframerate() == 48000 and w.getnframes() / 48000 == pytest.approx(result.duration, abs=0.01)
        assert result.duration > 0.5


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_round_trip(case, tmp_path, keys_env):
    server = _serve(case)
    try:
        provider = _provider(case, server)
        assert provider.info.id == case.id
        ledger = Ledger(tmp_path / "ledger.sqlite")
        request = _request(provider, tmp_path)
        result = execute(provider, request, ledger=ledger, shot_id="s01", policy=FAST)
        _check_output(provider, request, result)
        row = ledger.rows()[0]
        assert row.status == Status.DONE and row.actual_cost and row.actual_cost > 0
        if provider.info.is_async:
            assert row.job_id and server.counts["jobs_created"] == 1
    finally:
        server.stop()


REFUSABLE = [c for c in CASES if c.refuse_on]


@pytest.mark.parametrize("case", REFUSABLE, ids=[c.id for c in REFUSABLE])
def test_refusal_is_typed(case, tmp_path, keys_env):
    server = _serve(case)
    try:
        provider = _provider(case, server)
        server.inject(case.refuse_on, "refuse")
        request = _request(provider, tmp_path)
        with pytest.raises(RefusedError) as info:
            execute(provider, request, ledger=Ledger(tmp_path / "l.sqlite"), shot_id="s09", policy=FAST)
        assert info.value.prompt == (getattr(request, "prompt", "") or request.text)
        assert info.value.shot_id == "s09" and KEY not in str(info.value)
        assert not request.out.exists()
    finally:
        server.stop()


ASYNC = [c for c in CASES if c.refuse_on == "submit"]


@pytest.mark.parametrize("case", ASYNC, ids=[c.id for c in ASYNC])
def test_rate_limit_then_server_error_are_retried(case, tmp_path, keys_env):
    server = _serve(case)
    try:
        provider = _provider(case, server)
        server.inject("submit", "429")
        server.inject("poll", "500")
        policy = RetryPolicy(retries=3, base_delay=0.01, poll_interval=0.01, max_wait=10,
                             max_retry_after=0.05)  # caps the fake's Retry-After: 1 for speed
        execute(provider, _request(provider, tmp_path), ledger=Ledger(tmp_path / "l.sqlite"),
                policy=policy)
        assert server.counts["submit"] == 2 and server.counts["jobs_created"] == 1
    finally:
        server.stop()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_declared_info_and_missing(case, monkeypatch, tmp_path):
    cls = getattr(importlib.import_module(f"microfilm.providers.{case.module}"), case.cls)
    info = cls.info
    assert info.paid and info.price.amount > 0 and info.prices_read_on is not None
    assert info.env_keys and info.extra
    module = importlib.import_module(f"microfilm.providers.{case.module}")
    listed = catalogue.entry(info.id)  # prices and capabilities come from the catalogue
    assert (module.__name__, listed.price.read_on) == (cls.__module__, info.prices_read_on)
    assert listed.model == info.model and catalogue.load().providers
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for name in info.env_keys:
        monkeypatch.delenv(name, raising=False)
    for alias in sum(cls.key_aliases.values(), ()):
        monkeypatch.delenv(alias, raising=False)
    missing = cls.missing()
    assert f"set {info.env_keys[0]}" in missing
    for name in info.env_keys:
        monkeypatch.setenv(name, "sk-secret-value-xyz-123456")
    assert all("sk-secret-value" not in m for m in cls.missing())
    assert all(m.startswith(("install microfilm[", "set ")) or "shut down" in m for m in cls.missing())


def test_cosyvoice_names_the_bible_field_for_a_voice_it_does_not_have(tmp_path, monkeypatch):
    """Only the documented system voice is built in: a woman's line without a named voice
    fails before any call, naming the field to set, instead of speaking in a man's voice."""
    from microfilm.providers.dashscope import CosyVoice
    from tests.fakes import dashscope

    with FakeServer() as server:
        dashscope.install(server)
        monkeypatch.setenv("DASHSCOPE_API_KEY", KEY)
        monkeypatch.setenv("DASHSCOPE_BASE_URL", server.base_url)
        request = SpeechRequest(out=tmp_path / "line.wav", text="我回来了。", language="zh",
                                voice=VoiceSpec(gender="female"), character="mei")
        with pytest.raises(ProviderError, match=r"characters\[mei\]\.voice\.provider_voice"):
            CosyVoice().call(request)
        assert server.counts["call"] == 0
        named = request.model_copy(update={"voice": VoiceSpec(gender="female",
                                                              provider_voice="cosyvoice-v3-flash-mei-1")})
        assert CosyVoice().call(named).path.exists() and server.counts["call"] == 1
