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

from pathlib import Path
from typing import Any, ClassVar

from microfilm.providers.base import AnimateRequest, ClipResult, LipSyncRequest, ProviderInfo
from microfilm.providers import catalogue
from microfilm.providers.jobs import Http, JobState, JobStatus, PaidProvider, aspect_of, data_uri, download



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


def _info(name: str) -> ProviderInfo:
    return catalogue.info(name, is_async=True, extra="fal", env_keys=("FAL_KEY",))


class FalKling(FalVideo):
    info = _info("fal-kling")

    def inputs(self, r: AnimateRequest) -> dict[str, Any]:
        return {"prompt": r.prompt or r.camera, "image_url": data_uri(r.image),
                "duration": str(int(self.duration_for(r.duration)))}


class FalWan(FalVideo):
    info = _info("fal-wan")

    def inputs(self, r: AnimateRequest) -> dict[str, Any]:
        return {"prompt": r.prompt or r.camera, "image_url": data_uri(r.image), "resolution": "720p",
                "duration": int(self.duration_for(r.duration)), "seed": r.seed}


class FalSeedance(FalVideo):
    info = _info("fal-seedance")

    def inputs(self, r: AnimateRequest) -> dict[str, Any]:
        return {"prompt": r.prompt or r.camera, "image_url": data_uri(r.image), "resolution": "720p",
                "duration": str(int(self.duration_for(r.duration))),
                "aspect_ratio": aspect_of(r.width, r.height), "seed": r.seed}


class FalSeedance2(FalSeedance):
    """Seedance 2.0 on fal: the same queue and inputs as 1.0 Pro (image_url, resolution,
    duration, aspect_ratio), 4-15 s, sound generated with the picture."""

    info = _info("fal-seedance-2")


class FalHailuo(FalVideo):
    info = _info("fal-hailuo")

    def inputs(self, r: AnimateRequest) -> dict[str, Any]:
        return {"prompt": r.prompt or r.camera, "image_url": data_uri(r.image),
                "duration": str(int(self.duration_for(r.duration))), "prompt_optimizer": True}


class FalLTX(FalVideo):
    info = _info("fal-ltx")

    def inputs(self, r: AnimateRequest) -> dict[str, Any]:
        return {"prompt": r.prompt or r.camera, "image_url": data_uri(r.image),
                "duration": int(self.duration_for(r.duration)), "resolution": "1080p"}


class FalLipSync(FalVideo):
    """sync.so lipsync on fal: the clip and the line go in as data URIs; `cut_off` keeps the
    clip's length (the line is padded to where it is said before it is sent)."""

    info = catalogue.info("fal-lipsync", is_async=True, extra="fal", env_keys=("FAL_KEY",))

    def inputs(self, r: LipSyncRequest) -> dict[str, Any]:
        return {"video_url": data_uri(r.video), "audio_url": data_uri(r.audio),
                "sync_mode": "cut_off"}

    def submit(self, request: LipSyncRequest, idempotency_key: str = "") -> str:
        body = self._http().post(f"/{self.info.model}", json=self.inputs(request))
        return body["request_id"]

    def check(self, request: LipSyncRequest, result: Any, out: Path) -> Any:
        from microfilm.providers import media_check

        return media_check.conform_clip(result.path, out, expected_duration=request.duration,
                                        width=request.width, height=request.height, fps=request.fps)

    def lipsync(self, request: LipSyncRequest) -> ClipResult:
        return self._run(request)
