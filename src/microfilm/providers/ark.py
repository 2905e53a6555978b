"""Volcengine Ark (火山方舟): Seedance image-to-video and Seedream images (httpx, REST).

- Seedance: POST {base}/contents/generations/tasks {model, content: [text, image_url as
  first_frame], ratio, duration, resolution, generate_audio} -> {id}; GET .../tasks/{id} ->
  status queued | running | succeeded (content.video_url, valid 24 h) | failed (error.code,
  e.g. InputImageSensitiveContentDetected / OutputVideoSensitiveContentDetected) |
  cancelled | expired. Billed by tokens (width x height x fps x seconds / 1024); the
  per-second figure here is that formula at 720p, 24 fps and about 16 CNY per million tokens.
- Seedream: POST {base}/images/generations (OpenAI-like) {model, prompt, size, image: [refs],
  response_format: b64_json, watermark: false} -> data[0].b64_json; 0.2 CNY per image.
- Seedance 2.0 (`doubao-seedance-2-0-260128`, read 2026-12-04): the same task protocol;
  4-15 s, audio on by default (voice, effects, music in sync; lines in double quotes are
  spoken), first frame or first+last frames, or 1-9 reference images (modes exclusive).
Auth: `Authorization: Bearer $ARK_API_KEY`. The Volcengine SDK is a very large package for
two endpoints, so httpx speaks them directly.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any, ClassVar

from microfilm.errors import ProviderError
from microfilm.providers.base import (
    AnimateRequest,
    ClipResult,
    ImageResult,
    PaintRequest,
    ProviderInfo,
)
from microfilm.providers import catalogue
from microfilm.providers.jobs import Http, JobState, JobStatus, PaidProvider, aspect_of, data_uri, download

SENSITIVE = ("SensitiveContentDetected", "sensitive", "PolicyViolation")
TOKENS_PER_SECOND_720P = 1280 * 720 * 24 / 1024  # 21,600


class _Ark(PaidProvider):
    refusal_markers = SENSITIVE
    default_base_url = "https://ark.cn-beijing.volces.com/api/v3"
    base_url_env = "ARK_BASE_URL"

    def _http(self) -> Http:
        return Http(self.base_url, headers={"Authorization": f"Bearer {self.key('ARK_API_KEY')}"},
                    timeout=self.timeout, refusal_markers=self.refusal_markers)


class ArkSeedance(_Ark):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "ark-seedance", is_async=True, extra="ark", env_keys=("ARK_API_KEY",))

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        return self._http().post("/contents/generations/tasks", json=self.body(request))["id"]

    def body(self, request: AnimateRequest) -> dict[str, Any]:
        return {"model": self.info.model,
                "content": [{"type": "text", "text": request.prompt or request.camera},
                            {"type": "image_url", "image_url": {"url": data_uri(request.image)},
                             "role": "first_frame"}],
                "ratio": aspect_of(request.width, request.height), "resolution": "720p",
                "duration": int(self.duration_for(request.duration)), "generate_audio": True,
                "watermark": False, "seed": request.seed}

    def poll(self, job_id: str) -> JobState:
        task = self._http().get(f"/contents/generations/tasks/{job_id}")
        status = task.get("status")
        if status == "succeeded":
            return JobState(JobStatus.SUCCEEDED, 1.0, result_ref=task["content"]["video_url"])
        if status in ("failed", "cancelled", "expired"):
            err = task.get("error") or {}
            text = f"{err.get('code', status)}: {err.get('message', '')}"
            refused = any(m.lower() in text.lower() for m in SENSITIVE)
            return JobState(JobStatus.REFUSED if refused else JobStatus.FAILED, error=text)
        return JobState(JobStatus.RUNNING if status == "running" else JobStatus.QUEUED)

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        download(state.result_ref, out)
        return ClipResult(path=out, duration=0.0, has_audio=True)


class ArkSeedance2(ArkSeedance):
    """Seedance 2.0: the first-frame request, or, when the shot's characters have reference
    pictures, the multimodal reference mode: first frame and reference images are exclusive
    modes, so each character's sheet goes as a `reference_image` (the prompt names them
    @image1, @image2 in that order, direction.prompts) and the keyframe goes last among them,
    the prompt saying it is the opening frame."""

    info: ClassVar[ProviderInfo] = catalogue.info(
        "ark-seedance-2", is_async=True, extra="ark", env_keys=("ARK_API_KEY",))
    max_references: ClassVar[int] = 9

    def body(self, request: AnimateRequest) -> dict[str, Any]:
        body = super().body(request)
        sheets = tuple(request.reference_paths)[:self.max_references - 1]
        if sheets:
            opening = len(sheets) + 1
            text = f"{body['content'][0]['text']} The video opens on @image{opening}, its first frame."
            body["content"] = [{"type": "text", "text": text}] + [
                {"type": "image_url", "image_url": {"url": data_uri(p)}, "role": "reference_image"}
                for p in (*sheets, request.image)]
        return body


class ArkSeedream(_Ark):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "ark-seedream", is_async=False, extra="ark", env_keys=("ARK_API_KEY",))

    def call(self, request: PaintRequest) -> ImageResult:
        scale = max(1.0, (1440 * 2560 / (request.width * request.height)) ** 0.5)  # 2K-class
        w, h = int(request.width * scale) // 8 * 8, int(request.height * scale) // 8 * 8
        body: dict[str, Any] = {"model": self.info.model, "prompt": request.prompt,
                                "size": f"{w}x{h}", "response_format": "b64_json",
                                "watermark": False, "seed": request.seed}
        refs = [data_uri(Path(p)) for p in getattr(request, "reference_paths", ())]
        if refs:
            body["image"] = refs[:10]
        data = self._http().post("/images/generations", json=body).get("data") or []
        if not data or not data[0].get("b64_json"):
            raise ProviderError(f"{self.info.id}: no image in the response")
        Path(request.out).write_bytes(base64.b64decode(data[0]["b64_json"]))
        return ImageResult(path=request.out, width=w, height=h)
