"""Runway image-to-video (Gen-4 Turbo) through the official `runwayml` SDK.

Protocol: POST /v1/image_to_video -> {id}; GET /v1/tasks/{id} -> status PENDING | THROTTLED |
RUNNING | SUCCEEDED (output: [urls], expiring in 24-48 h) | FAILED (failure, failureCode,
SAFETY.* for moderation) | CANCELLED; every task reports its cost in credits ($0.01 each).
gen4_turbo: 5 credits per second, 2-10 s, ratios 720:1280, 1280:720, 960:960 and others;
the prompt image is a URL or a data URI; no native audio.
Gen-4.5 (`gen4.5`, read 2026-12-04): the same endpoint and task protocol, 12 credits per
second, 2-10 s, the same ratios; no native audio.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from microfilm.providers.base import AnimateRequest, ClipResult, ProviderInfo
from microfilm.providers import catalogue
from microfilm.providers.jobs import (
    JobState,
    JobStatus,
    PaidProvider,
    aspect_of,
    data_uri,
    download,
)

USD_PER_CREDIT = 0.01
RATIOS = {"9:16": "720:1280", "16:9": "1280:720", "1:1": "960:960"}


class RunwayGen4(PaidProvider):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "runway-gen4", is_async=True, extra="runway", env_keys=("RUNWAYML_API_SECRET",))
    sdk = ("runwayml",)
    refusal_markers = ("SAFETY", "moderation", "content policy")
    poll_every_s = 5.0
    max_wait_s = 900.0
    default_base_url = "https://api.dev.runwayml.com"
    base_url_env = "RUNWAYML_BASE_URL"

    def _client(self) -> Any:
        from runwayml import RunwayML

        return RunwayML(api_key=self.key(), base_url=self.base_url, max_retries=0,
                        timeout=self.timeout)

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        aspect = aspect_of(request.width, request.height)
        task = self._client().image_to_video.create(
            model=self.info.model, prompt_image=data_uri(request.image),
            prompt_text=(request.prompt or request.camera)[:1000], ratio=RATIOS[aspect],
            duration=int(self.duration_for(request.duration)), seed=request.seed % 4294967295,
            extra_headers={"Idempotency-Key": idempotency_key} if idempotency_key else None,
        )
        return task.id

    def poll(self, job_id: str) -> JobState:
        task = self._client().tasks.retrieve(job_id)
        status = task.status
        cost = getattr(task, "cost", None)
        usd = cost.credits * USD_PER_CREDIT if cost is not None else None
        if status == "SUCCEEDED":
            return JobState(JobStatus.SUCCEEDED, 1.0, result_ref=task.output[0], cost=usd)
        if status in ("FAILED", "CANCELLED"):
            code = getattr(task, "failure_code", "") or ""
            text = f"{code} {getattr(task, 'failure', status)}".strip()
            refused = code.startswith("SAFETY") or "moderation" in text.lower()
            return JobState(JobStatus.REFUSED if refused else JobStatus.FAILED, error=text, cost=usd)
        if status == "RUNNING":
            return JobState(JobStatus.RUNNING, getattr(task, "progress", None))
        return JobState(JobStatus.QUEUED)

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        download(state.result_ref, out)
        return ClipResult(path=out, duration=0.0, has_audio=False)  # measured by check()


class RunwayGen45(RunwayGen4):
    """Gen-4.5: Runway's current image-to-video model on the same protocol."""

    info: ClassVar[ProviderInfo] = catalogue.info(
        "runway-gen4.5", is_async=True, extra="runway", env_keys=("RUNWAYML_API_SECRET",))
