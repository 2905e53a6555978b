"""fal.ai's queue for open and closed video models (httpx on the documented queue API).

POST https://queue.fal.run/{model_id} with the model's input -> {request_id, status_url,
response_url}; GET .../{owner}/{alias}/requests/{id}/status -> IN_QUEUE | IN_PROGRESS |
COMPLETED (with `error` when the run failed); GET .../requests/{id} -> the output, e.g.
{video: {url}}. Auth: `Authorization: Key $FAL_KEY`. Images go in as data URIs. A content
policy rejection is a 422 whose detail has type "content_policy_violation".

The official `fal-client` builds https URLs from a host fixed at import time, so it cannot
be pointed at a local test server; the REST protocol is small, so httpx speaks it directly.
One class per model; each maps our request onto that model's input fields.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from microfilm.providers.base import AnimateRequest, Capabilities, ClipResult, Price, ProviderInfo
from microfilm.providers.jobs import Http, JobState, JobStatus, PaidProvider, aspect_of, data_uri, download

READ_ON = date(2026, 11, 25)
REFERENCES = (
    "https://docs.fal.ai/documentation/model-apis/inference/queue (submit, status, result)",
    "https://fal.ai/docs/api-reference/client-libraries/javascript/queue.md",
    "https://fal.ai/models/fal-ai/wan/v2.7/image-to-video/llms.txt ($0.10/s 720p, $0.15/s 1080p)",
    "https://fal.ai/models/fal-ai/kling-video (v2.5 turbo pro $0.35 per 5 s)",
    "https://fal.ai/models/fal-ai/minimax/hailuo-02 (768p $0.045/s)",
    "https://docs.ltx.video/pricing (ltx-2-fast $0.04/s at 1080p)",
)


class FalVideo(PaidProvider):
    """Base: subclasses set `info` and `inputs()`; `info.model` is the fal model id."""

    info: ClassVar[ProviderInfo]
    sdk = ()  # plain HTTP
    refusal_markers = ("content_policy_violation", "content policy", "nsfw")
    default_base_url = "https://queue.fal.run"
    base_url_env = "FAL_QUEUE_BASE_URL"

    def inputs(self, request: AnimateRequest) -> dict[str, Any]:
        raise NotImplementedError

    def _http(self) -> Http:
        return Http(self.base_url, headers={"Authorization": f"Key {self.key('FAL_KEY')}"},
                    timeout=self.timeout, refusal_markers=self.refusal_markers)

    def _requests_path(self, job_id: str) -> str:
        owner, alias = self.info.model.split("/")[:2]
        return f"/{owner}/{alias}/requests/{job_id}"

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        body = self._http().post(f"/{self.info.model}", json=self.inputs(request))
        return body["request_id"]

    def poll(self, job_id: str) -> JobState:
        body = self._http().get(self._requests_path(job_id) + "/status")
        status = body.get("status")
        if status == "COMPLETED":
            if body.get("error"):
                text = str(body.get("error"))
                refused = any(m in text.lower() for m in self.refusal_markers)
                return JobState(JobStatus.REFUSED if refused else JobStatus.FAILED, error=text)
            return JobState(JobStatus.SUCCEEDED, 1.0, result_ref=job_id)
        return JobState(JobStatus.RUNNING if status == "IN_PROGRESS" else JobStatus.QUEUED)

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        body = self._http().get(self._requests_path(job_id))
        download(body["video"]["url"], out)
        return ClipResult(path=out, duration=0.0, has_audio=self.info.capabilities.native_audio)


def _info(id_: str, model: str, title: str, per_s: float, durations: tuple[int, ...],
          audio: bool = False, aspects: tuple[str, ...] = ("9:16", "16:9", "1:1")) -> ProviderInfo:
    return ProviderInfo(
        id=id_, capability="animator", model=model, version="fal-queue", title=title,
        is_async=True, paid=True, price=Price(unit="second", amount=per_s, currency="USD"),
        capabilities=Capabilities(durations=durations, max_duration=max(durations),
                                  min_duration=min(durations), aspects=aspects, native_audio=audio),
        extra="fal", env_keys=("FAL_KEY",), prices_read_on=READ_ON)


class FalKling(FalVideo):
    info = _info("fal-kling", "fal-ai/kling-video/v2.5-turbo/pro/image-to-video",
                 "Kling 2.5 Turbo Pro on fal", 0.07, (5, 10))

    def inputs(self, r: AnimateRequest) -> dict[str, Any]:
        return {"prompt": r.prompt or r.camera, "image_url": data_uri(r.image),
                "duration": str(int(self.duration_for(r.duration)))}


class FalWan(FalVideo):
    info = _info("fal-wan", "fal-ai/wan/v2.7/image-to-video", "Wan 2.7 image-to-video on fal",
                 0.10, tuple(range(2, 16)), audio=True)

    def inputs(self, r: AnimateRequest) -> dict[str, Any]:
        return {"prompt": r.prompt or r.camera, "image_url": data_uri(r.image), "resolution": "720p",
                "duration": int(self.duration_for(r.duration)), "seed": r.seed}


class FalSeedance(FalVideo):
    info = _info("fal-seedance", "fal-ai/bytedance/seedance/v1/pro/image-to-video",
                 "Seedance 1.0 Pro image-to-video on fal", 0.062, tuple(range(3, 13)))

    def inputs(self, r: AnimateRequest) -> dict[str, Any]:
        return {"prompt": r.prompt or r.camera, "image_url": data_uri(r.image), "resolution": "720p",
                "duration": str(int(self.duration_for(r.duration))),
                "aspect_ratio": aspect_of(r.width, r.height), "seed": r.seed}


class FalHailuo(FalVideo):
    info = _info("fal-hailuo", "fal-ai/minimax/hailuo-02/standard/image-to-video",
                 "MiniMax Hailuo-02 768p on fal", 0.045, (6, 10))

    def inputs(self, r: AnimateRequest) -> dict[str, Any]:
        return {"prompt": r.prompt or r.camera, "image_url": data_uri(r.image),
                "duration": str(int(self.duration_for(r.duration))), "prompt_optimizer": True}


class FalLTX(FalVideo):
    info = _info("fal-ltx", "fal-ai/ltx-2/image-to-video/fast", "LTX-2 Fast image-to-video on fal",
                 0.04, (6, 8, 10), audio=True, aspects=("16:9", "9:16"))

    def inputs(self, r: AnimateRequest) -> dict[str, Any]:
        return {"prompt": r.prompt or r.camera, "image_url": data_uri(r.image),
                "duration": int(self.duration_for(r.duration)), "resolution": "1080p"}
