"""MiniMax (海螺 Hailuo video, Speech) over its REST API (httpx; no official Python SDK).

- Video: POST /v1/video_generation {model, prompt, first_frame_image (URL or data URI),
  duration 6|10, resolution 768P|1080P} -> {task_id, base_resp}; GET
  /v1/query/video_generation?task_id= -> status Preparing | Queueing | Processing | Success
  (file_id) | Fail; GET /v1/files/retrieve?file_id= -> file.download_url.
  MiniMax-Hailuo-2.3 768P: $0.28 per 6 s.
- Speech: POST /v1/t2a_v2 {model, text, voice_setting, audio_setting, output_format: hex}
  -> data.audio (hex); speech-2.6-hd $100 per million characters (pay as you go).
Errors come in `base_resp.status_code` with HTTP 200: 1002 rate limit, 1004 auth, 1026
input / 1027 output content flagged (refused), 1039 token limit.
Base URL: https://api.minimax.io (international) or https://api.minimaxi.com (China).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from microfilm.errors import ProviderError
from microfilm.providers.base import (
    AnimateRequest,
    AudioResult,
    ClipResult,
    ProviderInfo,
    SpeechRequest,
)
from microfilm.providers import catalogue
from microfilm.providers.jobs import (
    Http,
    JobState,
    JobStatus,
    PaidProvider,
    RefusedError,
    TransientError,
    data_uri,
    download,
)



def _ok(body: dict[str, Any]) -> dict[str, Any]:
    base = body.get("base_resp") or {}
    code = base.get("status_code", 0)
    if code == 0:
        return body
    text = f"minimax {code}: {base.get('status_msg', '')}"
    if code in (1026, 1027):
        raise RefusedError(text)
    if code in (1002, 1000, 1001, 1024):
        raise TransientError(text)
    raise ProviderError(text)


class _MiniMax(PaidProvider):
    default_base_url = "https://api.minimax.io"
    base_url_env = "MINIMAX_BASE_URL"
    refusal_markers = ("sensitive",)

    def _http(self) -> Http:
        return Http(self.base_url, headers={"Authorization": f"Bearer {self.key('MINIMAX_API_KEY')}"},
                    timeout=self.timeout)


class MiniMaxHailuo(_MiniMax):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "minimax-hailuo", is_async=True, extra="minimax", env_keys=("MINIMAX_API_KEY",))

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        body = {"model": self.info.model, "prompt": request.prompt or request.camera,
                "first_frame_image": data_uri(request.image), "resolution": "768P",
                "duration": int(self.duration_for(request.duration)), "prompt_optimizer": True}
        return _ok(self._http().post("/v1/video_generation", json=body))["task_id"]

    def poll(self, job_id: str) -> JobState:
        body = _ok(self._http().get("/v1/query/video_generation", params={"task_id": job_id}))
        status = body.get("status")
        if status == "Success":
            return JobState(JobStatus.SUCCEEDED, 1.0, result_ref=str(body["file_id"]))
        if status == "Fail":
            return JobState(JobStatus.FAILED, error=str(body.get("error_message") or "Fail"))
        return JobState(JobStatus.RUNNING if status == "Processing" else JobStatus.QUEUED)

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        http = self._http()
        body = _ok(http.get("/v1/files/retrieve", params={"file_id": state.result_ref}))
        download(body["file"]["download_url"], out)
        return ClipResult(path=out, duration=0.0, has_audio=self.info.capabilities.native_audio)


class MiniMaxH3(MiniMaxHailuo):
    """MiniMax-H3: the same video_generation task protocol; 5-15 s, clips always carry
    their own stereo sound (read 2026-12-04)."""

    info: ClassVar[ProviderInfo] = catalogue.info(
        "minimax-h3", is_async=True, extra="minimax", env_keys=("MINIMAX_API_KEY",),
        sends_references=False)  # the model takes references; this client sends none yet


class MiniMaxSpeech(_MiniMax):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "minimax-speech", is_async=False, extra="minimax", env_keys=("MINIMAX_API_KEY",))
    VOICES: ClassVar[dict[tuple[str, str], str]] = {
        ("zh", "female"): "female-shaonv", ("zh", "male"): "male-qn-qingse",
        ("en", "female"): "English_Graceful_Lady", ("en", "male"): "English_Trustworth_Man",
    }

    def call(self, request: SpeechRequest) -> AudioResult:
        gender = "male" if request.voice.gender == "male" else "female"
        voice = request.voice.provider_voice or self.VOICES[(request.language, gender)]
        body = {"model": self.info.model, "text": request.text, "stream": False,
                "voice_setting": {"voice_id": voice, "speed": max(0.5, min(2.0, request.voice.rate / 160)),
                                  "vol": 1, "pitch": 0},
                "audio_setting": {"sample_rate": 32000, "format": "mp3", "channel": 1},
                "language_boost": "Chinese" if request.language == "zh" else "English",
                "output_format": "hex"}
        data = _ok(self._http().post("/v1/t2a_v2", json=body)).get("data") or {}
        if not data.get("audio"):
            raise ProviderError(f"{self.info.id}: no audio in the response")
        Path(request.out).write_bytes(bytes.fromhex(data["audio"]))
        return AudioResult(path=request.out, duration=0.0)


class MiniMaxSpeech28(MiniMaxSpeech):
    """Speech 2.8 Turbo: the same t2a_v2 call on the current model (read 2026-12-04)."""

    info: ClassVar[ProviderInfo] = catalogue.info(
        "minimax-speech-2.8", is_async=False, extra="minimax", env_keys=("MINIMAX_API_KEY",))
