"""Google Gemini API through the official `google-genai` SDK: Veo 3.1 video, Gemini images.

- Veo 3.1 (`veo-3.1-generate-preview`): models.generate_videos -> a long-running operation
  (POST .../publishers/google/models/{model}:predictLongRunning), polled with
  operations.get (POST ...:fetchPredictOperation) until `done`; without a storage URI the
  video comes back inline in the finished operation. 4, 6 or 8 s; 16:9 or 9:16;
  720p/1080p; native audio; a first-frame image and up to three reference images. Safety
  filtering shows as `rai_media_filtered_count/reasons`. $0.40 per second (standard).
  google-genai 3.x runs generate_videos only in Vertex AI ("Agent Platform") mode, so Veo
  uses Vertex express mode: a Google Cloud API key in GOOGLE_API_KEY, no project setup.
- Gemini image ("Nano Banana", `gemini-2.5-flash-image`): models.generate_content with an
  IMAGE response modality and an aspect ratio; reference images go in the contents.
  Blocked prompts come back as prompt_feedback.block_reason or an IMAGE_SAFETY /
  PROHIBITED_CONTENT finish reason. $0.039 per image.
- Gemini Omni Flash (`gemini-omni-1.2-flash`): the Interactions API, see GeminiOmni.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any, ClassVar

from microfilm.errors import ProviderError
from microfilm.media.images import mime_of
from microfilm.providers.base import (
    AnimateRequest,
    ClipResult,
    ImageResult,
    PaintRequest,
    ProviderInfo,
)
from microfilm.providers import catalogue
from microfilm.providers.jobs import (
    Http, JobState, JobStatus, PaidProvider, RefusedError, aspect_of, b64_file,
)

BLOCKED = ("SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION")


class _Gemini(PaidProvider):
    sdk = ("google.genai",)
    refusal_markers = ("SAFETY", "blocked", "prohibited")
    default_base_url = ""  # the SDK's own
    base_url_env = "GOOGLE_GEMINI_BASE_URL"
    vertex: ClassVar[bool] = False

    def _client(self) -> Any:
        from google import genai
        from google.genai import types

        if getattr(self, "_sdk_client", None) is None:  # kept: the SDK closes it when dropped
            options = types.HttpOptions(base_url=self.base_url or None,
                                        timeout=int(self.timeout * 1000))
            self._sdk_client = genai.Client(vertexai=self.vertex or None,
                                            api_key=self.key(self.info.env_keys[0]),
                                            http_options=options)
        return self._sdk_client


class Veo(_Gemini):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "veo", is_async=True, extra="google", env_keys=("GOOGLE_API_KEY",))
    poll_every_s = 10.0
    vertex = True

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        from google.genai import types

        refs = [types.VideoGenerationReferenceImage(
                    image=types.Image.from_file(location=str(p)), reference_type="asset")
                for p in getattr(request, "reference_paths", ())[:3]]
        config = types.GenerateVideosConfig(
            aspect_ratio=aspect_of(request.width, request.height, ("9:16", "16:9")),
            duration_seconds=int(self.duration_for(request.duration)), resolution="720p",
            number_of_videos=1, seed=request.seed or None, reference_images=refs or None)
        source = types.GenerateVideosSource(prompt=request.prompt or request.camera,
                                            image=types.Image.from_file(location=str(request.image)))
        operation = self._client().models.generate_videos(model=self.info.model, source=source,
                                                          config=config)
        return operation.name

    def _operation(self, job_id: str) -> Any:
        from google.genai import types

        return self._client().operations.get(types.GenerateVideosOperation(name=job_id))

    def poll(self, job_id: str) -> JobState:
        op = self._operation(job_id)
        if not op.done:
            return JobState(JobStatus.RUNNING)
        if op.error:
            return JobState(JobStatus.FAILED, error=str(op.error))
        response = op.response or op.result
        if response is None or not response.generated_videos:
            reasons = "; ".join(getattr(response, "rai_media_filtered_reasons", None) or [])
            if getattr(response, "rai_media_filtered_count", 0) or reasons:
                return JobState(JobStatus.REFUSED, error=reasons or "filtered by safety")
            return JobState(JobStatus.FAILED, error="no video in the finished operation")
        return JobState(JobStatus.SUCCEEDED, 1.0, result_ref=job_id)

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        video = self._operation(job_id).response.generated_videos[0].video
        if not video.video_bytes:
            raise ProviderError(f"{self.info.id}: the finished operation holds no video bytes "
                                f"(a storage URI was set: {video.uri})")
        Path(out).write_bytes(video.video_bytes)
        return ClipResult(path=out, duration=0.0, has_audio=True)


class Veo31(Veo):
    """Veo 3.1 GA on Vertex AI: the same long-running-operation protocol, the GA model id."""

    info: ClassVar[ProviderInfo] = catalogue.info(
        "veo-3.1", is_async=True, extra="google", env_keys=("GOOGLE_API_KEY",))


class GeminiImage(_Gemini):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "gemini-image", is_async=False, extra="google", env_keys=("GEMINI_API_KEY",))

    def call(self, request: PaintRequest) -> ImageResult:
        from google.genai import types

        contents: list[Any] = [request.prompt]
        for p in getattr(request, "reference_paths", ())[:3]:
            contents.append(types.Part.from_bytes(data=Path(p).read_bytes(), mime_type=mime_of(p)))
        response = self._client().models.generate_content(
            model=self.info.model, contents=contents,
            config=types.GenerateContentConfig(
                response_modalities=["IMAGE"],
                image_config=types.ImageConfig(aspect_ratio=aspect_of(request.width, request.height))))
        feedback = getattr(response, "prompt_feedback", None)
        if feedback is not None and feedback.block_reason:
            raise RefusedError(f"prompt blocked: {feedback.block_reason}")
        for cand in response.candidates or []:
            reason = str(getattr(cand, "finish_reason", "") or "")
            if any(b in reason for b in BLOCKED):
                raise RefusedError(f"image blocked: {reason}")
            for part in (cand.content.parts if cand.content else []) or []:
                if part.inline_data is not None and part.inline_data.data:
                    Path(request.out).write_bytes(part.inline_data.data)
                    return ImageResult(path=request.out, width=request.width, height=request.height)
        raise ProviderError(f"{self.info.id}: the response held no image")


class GeminiImage31(GeminiImage):
    """Gemini 3.1 Flash Image: generate_content with an IMAGE modality, as 2.5 was."""

    info: ClassVar[ProviderInfo] = catalogue.info(
        "gemini-image-3.1", is_async=False, extra="google", env_keys=("GEMINI_API_KEY",))


class GeminiImage3Pro(GeminiImage):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "gemini-image-3-pro", is_async=False, extra="google", env_keys=("GEMINI_API_KEY",))


class GeminiOmni(PaidProvider):
    """Gemini Omni Flash, the Gemini API's video model after the Veo 3.1 previews, on the
    Interactions API (REST over httpx; read 2026-12-04, see the catalogue's references).

    POST /v1beta/interactions {model, input: [text part, image part (first frame), reference
    image parts], response_modalities: ["video"], background: true} with `x-goog-api-key`
    -> {id, status: in_progress}; GET /v1beta/interactions/{id} until status is completed
    (the video is a `model_output` step's content part, inline base64 `data` or a `uri` for a
    large file) or failed / cancelled / incomplete / budget_exceeded. The Omni model rejects
    generateContent and is not a Veo predictLongRunning model. No request field for the
    aspect or length is documented for it, so both are said in the prompt (as Google's
    guide does) and the clip is conformed to the planned length and size after.
    """

    info: ClassVar[ProviderInfo] = catalogue.info(
        "gemini-omni-flash", is_async=True, extra="google", env_keys=("GEMINI_API_KEY",))
    refusal_markers = ("SAFETY", "blocked", "PROHIBITED", "violat")
    default_base_url = "https://generativelanguage.googleapis.com"
    base_url_env = "GOOGLE_GEMINI_BASE_URL"
    poll_every_s = 10.0
    ended = ("failed", "cancelled", "incomplete", "budget_exceeded", "requires_action")

    def _http(self) -> Http:
        return Http(self.base_url, headers={"x-goog-api-key": self.key("GEMINI_API_KEY")},
                    timeout=self.timeout, refusal_markers=self.refusal_markers)

    @staticmethod
    def _image(path: Path) -> dict[str, str]:
        return {"type": "image", "data": b64_file(path), "mime_type": mime_of(path)}

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        aspect = aspect_of(request.width, request.height, ("9:16", "16:9"))
        seconds = int(self.duration_for(request.duration))
        text = (f"{request.prompt or request.camera} A {'vertical' if aspect == '9:16' else 'horizontal'} "
                f"{aspect} video, {seconds} seconds long, starting on the first image.")
        refs = tuple(request.reference_paths)[:self.info.capabilities.reference_images]
        body = {"model": self.info.model, "background": True, "response_modalities": ["video"],
                "input": [{"type": "text", "text": text}, self._image(request.image),
                          *(self._image(p) for p in refs)]}
        return str(self._http().post("/v1beta/interactions", json=body)["id"])

    def _video(self, interaction: dict[str, Any]) -> dict[str, Any] | None:
        for step in interaction.get("steps") or []:
            if step.get("type") != "model_output":
                continue
            for part in step.get("content") or []:
                if part.get("type") == "video" and (part.get("data") or part.get("uri")):
                    return part
        return None

    def poll(self, job_id: str) -> JobState:
        interaction = self._http().get(f"/v1beta/interactions/{job_id}")
        status = interaction.get("status", "")
        if status == "completed":
            if self._video(interaction) is None:
                return JobState(JobStatus.REFUSED, error="completed without a video (filtered by safety)")
            return JobState(JobStatus.SUCCEEDED, 1.0, result_ref=job_id)
        if status in self.ended:
            err = interaction.get("error") or {}
            text = f"{status}: {err.get('message', '') if isinstance(err, dict) else err}"
            refused = any(m.lower() in text.lower() for m in self.refusal_markers)
            return JobState(JobStatus.REFUSED if refused else JobStatus.FAILED, error=text)
        return JobState(JobStatus.RUNNING)

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        http = self._http()
        part = self._video(http.get(f"/v1beta/interactions/{job_id}"))
        if part is None:
            raise ProviderError(f"{self.info.id}: interaction {job_id} holds no video")
        if part.get("data"):
            Path(out).write_bytes(base64.b64decode(part["data"]))
        else:
            http.download(part["uri"], out, headers={"x-goog-api-key": self.key("GEMINI_API_KEY")})
        return ClipResult(path=out, duration=0.0, has_audio=True)
