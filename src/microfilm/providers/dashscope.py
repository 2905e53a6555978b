"""Alibaba Cloud Model Studio / DashScope (百炼): Wan video, Qwen image, Qwen TTS (httpx).

- Wan 2.7 image-to-video: POST /api/v1/services/aigc/video-generation/video-synthesis with
  header X-DashScope-Async: enable, {model, input: {prompt, media: [{type: first_frame,
  url}]}, parameters: {resolution: 720P, duration 2-15, prompt_extend, watermark}} ->
  output.task_id; GET /api/v1/tasks/{task_id} -> output.task_status PENDING | RUNNING |
  SUCCEEDED (output.video_url) | FAILED (output.code, DataInspectionFailed = content
  moderation) | CANCELED | UNKNOWN. Task ids live 24 h. $0.10 per second at 720P.
- Qwen image: POST /api/v1/services/aigc/multimodal-generation/generation {model, input:
  {messages: [{role: user, content: [{text}]}]}, parameters: {size: "W*H"}} -> an image URL.
- Qwen TTS: the same endpoint with {model: qwen3-tts-flash, input: {text, voice}} ->
  output.audio.url (WAV).
Region: the key, the model and the endpoint must match; the default is Singapore
(dashscope-intl). The `dashscope` SDK sets its endpoint as a module global, unsafe with
several providers in one process, so httpx speaks the REST API directly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from microfilm.errors import ProviderError
from microfilm.providers.base import (
    AnimateRequest,
    AudioResult,
    Capabilities,
    ClipResult,
    ImageResult,
    PaintRequest,
    Price,
    ProviderInfo,
    SpeechRequest,
)
from microfilm.providers.jobs import Http, JobState, JobStatus, PaidProvider, RefusedError, data_uri, download

READ_ON = date(2026, 11, 25)
REFERENCES = (
    "https://www.alibabacloud.com/help/en/model-studio/image-to-video-api-reference/",
    "https://help.aliyun.com/zh/model-studio/image-to-video-general-api-reference (wan2.7-i2v media)",
    "https://help.aliyun.com/zh/model-studio/wan-image-to-video-guide (2-15 s, 720P/1080P, audio)",
    "https://fal.ai/models/fal-ai/wan/v2.7/image-to-video/llms.txt ($0.10/s 720p)",
    "https://www.alibabacloud.com/help/en/model-studio/qwen-image-api, qwen-tts-api",
)
MODERATION = ("DataInspectionFailed", "IPInfringementSuspect", "inappropriate content")


class _DashScope(PaidProvider):
    refusal_markers = MODERATION
    default_base_url = "https://dashscope-intl.aliyuncs.com"
    base_url_env = "DASHSCOPE_BASE_URL"

    def _http(self, **headers: str) -> Http:
        return Http(self.base_url, headers={"Authorization": f"Bearer {self.key('DASHSCOPE_API_KEY')}",
                                            **headers},
                    timeout=self.timeout, refusal_markers=self.refusal_markers)

    def _generate(self, body: dict[str, Any]) -> dict[str, Any]:
        out = self._http().post("/api/v1/services/aigc/multimodal-generation/generation", json=body)
        if out.get("code"):
            text = f"{out['code']}: {out.get('message', '')}"
            if any(m in text for m in MODERATION):
                raise RefusedError(text)
            raise ProviderError(f"{self.info.id}: {text}")
        return out.get("output") or {}


class DashScopeWan(_DashScope):
    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="dashscope-wan", capability="animator", model="wan2.7-i2v", version="2.7",
        title="Wan 2.7 image-to-video (Alibaba Model Studio)", is_async=True, paid=True,
        price=Price(unit="second", amount=0.10, currency="USD"),
        capabilities=Capabilities(durations=tuple(range(2, 16)), max_duration=15, min_duration=2,
                                  aspects=("9:16", "16:9", "1:1"), references=False,
                                  native_audio=True),
        extra="dashscope", env_keys=("DASHSCOPE_API_KEY",), prices_read_on=READ_ON,
    )
    poll_every_s = 10.0

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        body = {"model": self.info.model,
                "input": {"prompt": request.prompt or request.camera,
                          "media": [{"type": "first_frame", "url": data_uri(request.image)}]},
                "parameters": {"resolution": "720P", "prompt_extend": True, "watermark": False,
                               "duration": int(self.duration_for(request.duration)),
                               "seed": request.seed}}
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


class QwenImage(_DashScope):
    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="dashscope-qwen-image", capability="painter", model="qwen-image-plus", version="plus",
        title="Qwen-Image (Alibaba Model Studio)", is_async=False, paid=True,
        price=Price(unit="image", amount=0.03, currency="USD"),
        capabilities=Capabilities(sizes=((928, 1664), (1664, 928), (1328, 1328)),
                                  aspects=("9:16", "16:9", "1:1"), references=False),
        extra="dashscope", env_keys=("DASHSCOPE_API_KEY",), prices_read_on=READ_ON,
    )

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
    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="dashscope-qwen-tts", capability="voice", model="qwen3-tts-flash", version="flash",
        title="Qwen3-TTS Flash (Alibaba Model Studio)", is_async=False, paid=True,
        price=Price(unit="1k_chars", amount=0.01, currency="USD"),
        capabilities=Capabilities(max_duration=120, languages=("zh", "en")),
        extra="dashscope", env_keys=("DASHSCOPE_API_KEY",), prices_read_on=READ_ON,
    )
    VOICES: ClassVar[dict[str, str]] = {"female": "Cherry", "male": "Ethan", "neutral": "Cherry"}

    def call(self, request: SpeechRequest) -> AudioResult:
        out = self._generate({"model": self.info.model,
                              "input": {"text": request.text,
                                        "voice": request.voice.provider_voice or self.VOICES[request.voice.gender],
                                        "language_type": "Chinese" if request.language == "zh" else "English"}})
        download(out["audio"]["url"], request.out)
        return AudioResult(path=request.out, duration=0.0)
