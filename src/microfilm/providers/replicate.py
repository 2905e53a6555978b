"""Replicate predictions through the official `replicate` SDK (one API, many models).

POST /v1/models/{owner}/{name}/predictions {input} -> a prediction {id, status}; GET
/v1/predictions/{id} -> status starting | processing | succeeded (output: a file URL or a
list) | failed (error) | canceled | aborted. Predictions time out after 30 minutes. The
default model is Kling 2.5 Turbo Pro (kwaivgi/kling-v2.5-turbo-pro: start_image, prompt,
duration 5|10, aspect_ratio), billed per second of output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from microfilm.providers.base import AnimateRequest, ClipResult, ProviderInfo
from microfilm.providers import catalogue
from microfilm.providers.jobs import JobState, JobStatus, PaidProvider, aspect_of, data_uri, download



class Replicate(PaidProvider):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "replicate", is_async=True, extra="replicate", env_keys=("REPLICATE_API_TOKEN",))
    sdk = ("replicate",)
    refusal_markers = ("nsfw", "sensitive", "flagged", "content policy", "safety")
    default_base_url = "https://api.replicate.com"
    base_url_env = "REPLICATE_BASE_URL"

    def _client(self) -> Any:
        import replicate

        return replicate.Client(api_token=self.key(), base_url=self.base_url, timeout=self.timeout)

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        prediction = self._client().predictions.create(
            model=self.info.model,
            input={"prompt": request.prompt or request.camera, "start_image": data_uri(request.image),
                   "duration": int(self.duration_for(request.duration)),
                   "aspect_ratio": aspect_of(request.width, request.height)})
        return prediction.id

    def poll(self, job_id: str) -> JobState:
        p = self._client().predictions.get(job_id)
        if p.status == "succeeded":
            output = p.output[0] if isinstance(p.output, list) else p.output
            return JobState(JobStatus.SUCCEEDED, 1.0, result_ref=str(output))
        if p.status in ("failed", "canceled", "aborted"):
            text = str(p.error or p.status)
            refused = any(m in text.lower() for m in self.refusal_markers)
            return JobState(JobStatus.REFUSED if refused else JobStatus.FAILED, error=text)
        return JobState(JobStatus.RUNNING if p.status == "processing" else JobStatus.QUEUED)

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        download(state.result_ref, out)
        return ClipResult(path=out, duration=0.0, has_audio=False)
