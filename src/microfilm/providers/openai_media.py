"""OpenAI media through the official `openai` SDK: gpt-image-2 painter, TTS voice, Sora 2.

- gpt-image-2 (ChatGPT Images 2.0, April 2026): POST /v1/images/generations, and
  /v1/images/edits with up to 16 reference images (characters' approved looks). Any size
  with both edges multiples of 16, longest edge <= 3840, ratio <= 3:1, 655,360 to
  8,294,400 pixels; quality low/medium/high; b64 PNG back. Token-billed; the per-image
  figure here is an estimate (medium, about 1 megapixel), scaled by area and quality.
- gpt-4o-mini-tts on /v1/audio/speech (WAV back). OpenAI announced its shutdown for
  2027-01-06 (move to the Realtime API).
- Sora 2 on /v1/videos: submit, GET /v1/videos/{id} (queued, in_progress, completed,
  failed), GET /v1/videos/{id}/content. 4/8/12 s (16/20 s added later), 720x1280 or
  1280x720, native audio, $0.10 per second. OpenAI shut the Videos API and Sora 2 down on
  2026-09-24, so `missing()` reports it as retired; the client stays for accounts or
  compatible gateways that still serve it.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any, ClassVar

from microfilm.media.images import mime_of
from microfilm.providers.base import (
    AnimateRequest,
    AudioResult,
    ClipResult,
    ImageResult,
    PaintRequest,
    ProviderInfo,
    SpeechRequest,
)
from microfilm.providers import catalogue
from microfilm.providers.jobs import JobState, JobStatus, PaidProvider, closest_size
from microfilm.providers.pricing import Money

REFUSALS = ("moderation_blocked", "content_policy", "safety system", "moderation")
QUALITY_FACTOR = {"low": 0.25, "medium": 1.0, "high": 4.0}


class _OpenAIBase(PaidProvider):
    sdk = ("openai",)
    refusal_markers = REFUSALS
    default_base_url = "https://api.openai.com/v1"
    base_url_env = "OPENAI_BASE_URL"

    def _client(self) -> Any:
        from openai import OpenAI

        return OpenAI(api_key=self.key("OPENAI_API_KEY"), base_url=self.base_url, max_retries=0,
                      timeout=self.timeout)


def image_size(width: int, height: int) -> tuple[int, int]:
    """The gpt-image-2 size covering width x height: edges up to multiples of 16, in limits."""
    w, h = width, height
    scale = min(1.0, 3840 / max(w, h), (8_294_400 / (w * h)) ** 0.5)
    scale = max(scale, (655_360 / (w * h)) ** 0.5)
    w, h = round(w * scale), round(h * scale)
    return -(-w // 16) * 16, -(-h // 16) * 16


class OpenAIImage(_OpenAIBase):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "openai-image", is_async=False, extra="openai", env_keys=("OPENAI_API_KEY",))
    quality: ClassVar[str] = "medium"

    def price(self, request: PaintRequest) -> Money:
        w, h = image_size(request.width, request.height)
        area = max(0.5, (w * h) / (1024 * 1024))
        return Money(round(self.info.price.amount * area * QUALITY_FACTOR[self.quality], 4), "USD")

    def call(self, request: PaintRequest) -> ImageResult:
        w, h = image_size(request.width, request.height)
        refs = [Path(p) for p in getattr(request, "reference_paths", ()) if Path(p).exists()]
        client = self._client()
        common = dict(model=self.info.model, prompt=request.prompt, size=f"{w}x{h}",
                      quality=self.quality, n=1, output_format="png")
        if refs:
            files = [(p.name, p.read_bytes(), mime_of(p)) for p in refs[:16]]
            response = client.images.edit(image=files, **common)
        else:
            response = client.images.generate(**common)
        Path(request.out).write_bytes(base64.b64decode(response.data[0].b64_json))
        return ImageResult(path=request.out, width=w, height=h)


class OpenAIImage25(OpenAIImage):
    """GPT Image 2.5 Flare: the Images API as gpt-image-2, a newer model id; gpt-image-2 stays
    the default for covers unless the brief picks this one."""

    info: ClassVar[ProviderInfo] = catalogue.info(
        "openai-image-2.5", is_async=False, extra="openai", env_keys=("OPENAI_API_KEY",))


class OpenAITTS(_OpenAIBase):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "openai-tts", is_async=False, extra="openai", env_keys=("OPENAI_API_KEY",))
    VOICES: ClassVar[dict[str, str]] = {"female": "coral", "male": "ash", "neutral": "sage"}

    def call(self, request: SpeechRequest) -> AudioResult:
        voice = request.voice.provider_voice or self.VOICES[request.voice.gender]
        speed = max(0.25, min(4.0, request.voice.rate / 160))
        audio = self._client().audio.speech.create(
            model=self.info.model, voice=voice, input=request.text[:4096],
            response_format="wav", speed=speed)
        Path(request.out).write_bytes(audio.content)
        return AudioResult(path=request.out, duration=0.0)


class Sora2(_OpenAIBase):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "sora-2", is_async=True, extra="openai", env_keys=("OPENAI_API_KEY",))
    poll_every_s = 10.0

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        from PIL import Image, ImageOps

        w, h = closest_size(request.width, request.height, self.info.capabilities.sizes)
        with Image.open(request.image) as im:  # the reference must be exactly the video size
            framed = ImageOps.fit(im.convert("RGB"), (w, h))
        buf = io.BytesIO()
        framed.save(buf, format="PNG")
        video = self._client().videos.create(
            model=self.info.model, prompt=request.prompt or request.camera,
            seconds=str(int(self.duration_for(request.duration))), size=f"{w}x{h}",
            input_reference=("keyframe.png", buf.getvalue(), "image/png"),
            extra_headers={"Idempotency-Key": idempotency_key} if idempotency_key else None)
        return video.id

    def poll(self, job_id: str) -> JobState:
        video = self._client().videos.retrieve(job_id)
        progress = (video.progress or 0) / 100
        if video.status == "completed":
            return JobState(JobStatus.SUCCEEDED, 1.0, result_ref=video.id)
        if video.status == "failed":
            err = video.error
            code = getattr(err, "code", "") or ""
            text = f"{code}: {getattr(err, 'message', '')}"
            refused = any(m in text.lower() for m in REFUSALS)
            return JobState(JobStatus.REFUSED if refused else JobStatus.FAILED, error=text)
        return JobState(JobStatus.RUNNING if video.status == "in_progress" else JobStatus.QUEUED,
                        progress)

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        content = self._client().videos.download_content(job_id, variant="video")
        Path(out).write_bytes(content.content)
        return ClipResult(path=out, duration=0.0, has_audio=True)
