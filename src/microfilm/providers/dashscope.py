"""Alibaba Cloud Model Studio / DashScope (百炼): Wan video, Qwen image, Qwen TTS (httpx).

- Wan 2.7 image-to-video: POST /api/v1/services/aigc/video-generation/video-synthesis with
  header X-DashScope-Async: enable, {model, input: {prompt, media: [{type: first_frame,
  url}]}, parameters: {resolution: 720P, duration 2-15, prompt_extend, watermark}} ->
  output.task_id; GET /api/v1/tasks/{task_id} -> output.task_status PENDING | RUNNING |
  SUCCEEDED (output.video_url) | FAILED (output.code, DataInspectionFailed = content
  moderation) | CANCELED | UNKNOWN. Task ids live 24 h. $0.10 per second at 720P.
- Wan 3.0 (`wan3.0-video`): the same endpoint and task states; 2-30 s; no prompt_extend.
- Qwen image: POST /api/v1/services/aigc/multimodal-generation/generation {model, input:
  {messages: [{role: user, content: [{text}]}]}, parameters: {size: "W*H"}} -> an image URL.
- Qwen TTS: the same endpoint with {model: qwen3-tts-flash, input: {text, voice}} ->
  output.audio.url (WAV).
- CosyVoice (non-real-time, read 2026-12-04): POST /api/v1/services/audio/tts/SpeechSynthesizer
  {model: cosyvoice-v3-flash, input: {text, voice, format, sample_rate}} -> output.audio.url
  (valid 24 h). Beijing region only; each model has its own voices.
Region: the key, the model and the endpoint must match; the default is Singapore
(dashscope-intl). The `dashscope` SDK sets its endpoint as a module global, unsafe with
several providers in one process, so httpx speaks the REST API directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from microfilm.errors import ProviderError
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
from microfilm.providers.jobs import Http, JobState, JobStatus, PaidProvider, RefusedError, data_uri, download

MODERATION = ("DataInspectionFailed", "IPInfringementSuspect", "inappropriate content")


class _DashScope(PaidProvider):
    refusal_markers = MODERATION
    default_base_url = "https://dashscope-intl.aliyuncs.com"
    base_url_env = "DASHSCOPE_BASE_URL"

    def _http(self, **headers: str) -> Http:
        return Http(self.base_url, headers={"Authorization": f"Bearer {self.key('DASHSCOPE_API_KEY')}",
                                            **headers},
                    timeout=self.timeout, refusal_markers=self.refusal_markers)

    def _generate(self, body: dict[str, Any],
                  path: str = "/api/v1/services/aigc/multimodal-generation/generation") -> dict[str, Any]:
        out = self._http().post(path, json=body)
        if out.get("code"):
            text = f"{out['code']}: {out.get('message', '')}"
            if any(m in text for m in MODERATION):
                raise RefusedError(text)
            raise ProviderError(f"{self.info.id}: {text}")
        return out.get("output") or {}


class DashScopeWan(_DashScope):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "dashscope-wan", is_async=True, extra="dashscope", env_keys=("DASHSCOPE_API_KEY",))
    poll_every_s = 10.0
    extra_parameters: ClassVar[dict[str, Any]] = {"prompt_extend": True}

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        body = {"model": self.info.model,
                "input": {"prompt": request.prompt or request.camera,
                          "media": [{"type": "first_frame", "url": data_uri(request.image)}]},
                "parameters": {"resolution": "720P", "watermark": False,
                               "duration": int(self.duration_for(request.duration)),
                               "seed": request.seed, **self.extra_parameters}}
        out = self._http(**{"X-DashScope-Async": "enable"}).post(
            "/api/v1/services/aigc/video-generation/video-synthesis", json=body)
        return out["output"]["task_id"]

    def poll(self, job_id: str) -> JobState:
        out = self._http().get(f"/api/v1/tasks/{job_id}").get("output", {})
        status = out.get("task_status")
        if status == "SUCCEEDED":
            return JobState(JobStatus.SUCCEEDED, 1.0, result_ref=out["video_url"])
        if status in ("FAILED", "CANCELED", "UNKNOWN"):
            text = f"{out.get('code', status)}: {out.get('message', '')}"
            refused = any(m in text for m in MODERATION)
            return JobState(JobStatus.REFUSED if refused else JobStatus.FAILED, error=text)
        return JobState(JobStatus.RUNNING if status == "RUNNING" else JobStatus.QUEUED)

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        download(state.result_ref, out)
        return ClipResult(path=out, duration=0.0, has_audio=True)


class DashScopeWan3(DashScopeWan):
    """Wan 3.0 (`wan3.0-video`, read 2026-12-04): one model for every mode on the same
    video-synthesis task endpoint (a first_frame medium makes it image-to-video); 2-30 s,
    sound on by default; it no longer takes `prompt_extend` or `negative_prompt`."""

    info: ClassVar[ProviderInfo] = catalogue.info(
        "dashscope-wan-3", is_async=True, extra="dashscope", env_keys=("DASHSCOPE_API_KEY",),
        sends_references=False)  # the model takes references; this client sends none yet
    extra_parameters: ClassVar[dict[str, Any]] = {}


class QwenImage(_DashScope):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "dashscope-qwen-image", is_async=False, extra="dashscope", env_keys=("DASHSCOPE_API_KEY",))

    def call(self, request: PaintRequest) -> ImageResult:
        from microfilm.providers.jobs import closest_size

        w, h = closest_size(request.width, request.height, self.info.capabilities.sizes)
        out = self._generate({"model": self.info.model,
                              "input": {"messages": [{"role": "user", "content": [{"text": request.prompt}]}]},
                              "parameters": {"size": f"{w}*{h}", "watermark": False,
                                             "prompt_extend": True, "seed": request.seed}})
        url = out["choices"][0]["message"]["content"][0]["image"]
        download(url, request.out)
        return ImageResult(path=request.out, width=w, height=h)


class QwenTTS(_DashScope):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "dashscope-qwen-tts", is_async=False, extra="dashscope", env_keys=("DASHSCOPE_API_KEY",))
    VOICES: ClassVar[dict[str, str]] = {"female": "Cherry", "male": "Ethan", "neutral": "Cherry"}

    def call(self, request: SpeechRequest) -> AudioResult:
        out = self._generate({"model": self.info.model,
                              "input": {"text": request.text,
                                        "voice": request.voice.provider_voice or self.VOICES[request.voice.gender],
                                        "language_type": "Chinese" if request.language == "zh" else "English"}})
        download(out["audio"]["url"], request.out)
        return AudioResult(path=request.out, duration=0.0)


class CosyVoice(_DashScope):
    """CosyVoice v3 Flash through the non-real-time HTTP API (Beijing region only).

    Only the system voice the API reference shows for this model is built in; any other
    (a woman's voice, a cloned voice) is named in bible.yaml as the character's
    `voice.provider_voice`, so a wrong voice is never guessed."""

    info: ClassVar[ProviderInfo] = catalogue.info(
        "dashscope-cosyvoice", is_async=False, extra="dashscope", env_keys=("DASHSCOPE_API_KEY",))
    default_base_url = "https://dashscope.aliyuncs.com"
    VOICES: ClassVar[dict[str, str]] = {"male": "longanyang"}

    def call(self, request: SpeechRequest) -> AudioResult:
        voice = request.voice.provider_voice or self.VOICES.get(request.voice.gender)
        if not voice:
            raise ProviderError(
                f"{self.info.id}: no built-in {request.voice.gender} voice for {self.info.model}; set "
                f"characters[{request.character}].voice.provider_voice in bible.yaml to a CosyVoice "
                "voice id (https://help.aliyun.com/zh/model-studio/cosyvoice-voice-list)")
        out = self._generate({"model": self.info.model,
                              "input": {"text": request.text, "voice": voice, "format": "wav",
                                        "sample_rate": 24000}},
                             path="/api/v1/services/audio/tts/SpeechSynthesizer")
        download(out["audio"]["url"], request.out)
        return AudioResult(path=request.out, duration=0.0)
