"""Reference pictures bound to the characters they show, where the API binds them: Kling 3
elements (<<<element_N>>>), Seedance 2 reference images (@imageN, the keyframe as the opening
reference), Gemini Omni image parts. Each round trip runs against its fake, which rejects
what the real service rejects (mixed Seedance modes, more than 3 Kling elements)."""

from __future__ import annotations

import pytest

from microfilm.ledger import Ledger
from microfilm.providers.ark import ArkSeedance2
from microfilm.providers.base import AnimateRequest, MultiShotRequest, ShotPart
from microfilm.providers.google import GeminiOmni
from microfilm.providers.kling import KlingV3
from microfilm.providers.media_check import probe_video
from microfilm.providers.jobs import RetryPolicy, execute
from tests.fakes import ark, google, kling, media
from tests.fakes.server import FakeServer

KEY = "test-key-binding-0123456789"
FAST = RetryPolicy(retries=2, base_delay=0.01, max_delay=0.05, poll_interval=0.01,
                   max_poll_interval=0.02, max_wait=10.0)


@pytest.fixture()
def sheets(tmp_path):
    paths = []
    for i, colour in enumerate([(200, 40, 40), (40, 200, 40), (40, 40, 200), (90, 90, 90)]):
        p = tmp_path / f"sheet{i}.png"
        p.write_bytes(media.png(64, 96, colour))
        paths.append(p)
    return paths


def _request(tmp_path, sheets, prompt: str, duration: float, n: int = 2, cls=AnimateRequest, **kw):
    key = media.keyframe(tmp_path / "key.png")
    return cls(out=tmp_path / "clip.mp4", image=key, image_sha256="a" * 64, duration=duration,
               width=72, height=128, fps=24, prompt=prompt, references=tuple("f" * 64 for _ in sheets[:n]),
               reference_paths=tuple(sheets[:n]), **kw)


def test_kling_3_sends_sheets_as_elements_named_in_the_prompt(tmp_path, sheets, monkeypatch):
    monkeypatch.setenv("KLING_ACCESS_KEY", "kling-access")
    monkeypatch.setenv("KLING_SECRET_KEY", kling.SECRET)
    with FakeServer() as server:
        kling.install(server)
        provider = KlingV3(base_url=server.base_url, timeout=5.0)
        req = _request(tmp_path, sheets, "Howard <<<image_1>>> hands Clara <<<image_2>>> a cup.", 5, n=4)
        execute(provider, req, ledger=Ledger(tmp_path / "a.sqlite"), policy=FAST)
        body = server.kling_bodies[-1]
        assert len(body["elements"]) == 3  # Kling takes three: the fourth sheet is not sent
        assert "Howard <<<element_1>>> hands Clara <<<element_2>>>" in body["prompt"]
        parts = (ShotPart(shot_id="a", prompt="Howard <<<image_1>>> looks up.", seconds=3),
                 ShotPart(shot_id="b", prompt="Clara <<<image_2>>> smiles. " + "Rain on glass. " * 40,
                          seconds=2))  # over 512 characters: cut after the names are written
        multi = _request(tmp_path, sheets, "", 5, cls=MultiShotRequest, shots=parts)
        multi = multi.model_copy(update={"out": tmp_path / "multi.mp4"})
        execute(provider, multi, ledger=Ledger(tmp_path / "b.sqlite"), policy=FAST)
        body = server.kling_bodies[-1]
        first, second = (p["prompt"] for p in body["multi_prompt"])
        assert first == "Howard <<<element_1>>> looks up."
        assert second.startswith("Clara <<<element_2>>> smiles. Rain") and len(second) <= 512
        assert len(body["elements"]) == 2 and probe_video(multi.out).has_audio


def test_seedance_2_sends_references_not_a_first_frame(tmp_path, sheets):
    with FakeServer() as server:
        ark.install(server)
        provider = ArkSeedance2(api_key=KEY, base_url=server.base_url + "/api/v3", timeout=5.0)
        req = _request(tmp_path, sheets, "@image1 waves to @image2 across the street.", 5)
        execute(provider, req, ledger=Ledger(tmp_path / "a.sqlite"), policy=FAST)
        content = server.ark_bodies[-1]["content"]
        assert [c.get("role") for c in content[1:]] == ["reference_image"] * 3
        assert content[0]["text"].endswith("The video opens on @image3, its first frame.")
        plain = _request(tmp_path, sheets, "a street", 5, n=0).model_copy(
            update={"out": tmp_path / "plain.mp4"})
        execute(provider, plain, ledger=Ledger(tmp_path / "b.sqlite"), policy=FAST)
        assert [c.get("role") for c in server.ark_bodies[-1]["content"][1:]] == ["first_frame"]


def test_gemini_omni_sends_the_first_frame_and_the_sheets(tmp_path, sheets):
    with FakeServer() as server:
        google.install(server)
        provider = GeminiOmni(api_key=KEY, base_url=server.base_url, timeout=5.0)
        req = _request(tmp_path, sheets, "Two friends meet.", 6, n=2)
        result = execute(provider, req, ledger=Ledger(tmp_path / "a.sqlite"), policy=FAST)
        assert server.counts["omni_images"] == 3 and result.has_audio
        assert abs(probe_video(req.out).duration - 6.0) < 0.15


def test_sheets_are_painted_only_for_animators_whose_client_sends_them():
    """generate paints a character sheet (a paid painter's call) for an animator whose info
    says it takes references; that must be a client that puts them in its request."""
    from microfilm.providers import registry

    sending = {name for name, e in registry.entries().items()
               if e.info and e.info.capability == "animator" and e.info.capabilities.references}
    assert sending == {"kling-v3", "ark-seedance-2", "gemini-omni-flash", "veo", "veo-3.1"}
