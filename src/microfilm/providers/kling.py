"""Kling (Kuaishou) image-to-video over its REST API (httpx; no official Python SDK).

Auth: a JWT (HS256) signed with the secret key, issuer = access key, 30 min expiry, sent as
a Bearer token. POST /v1/videos/image2video {model_name, image (base64 or URL), prompt,
duration "5"|"10", mode std|pro} -> {code: 0, data: {task_id, task_status}}; GET
/v1/videos/image2video/{task_id} -> task_status submitted | processing | succeed | failed,
task_result.videos[0].url. A non-zero `code` in a 200 body is an error: 1301 content
security (refused), 1302/1303 rate or concurrency limits (retried). Price at $0.07 per
second for kling-v2-5-turbo pro (5 s = $0.35).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from pathlib import Path
from typing import Any, ClassVar

from microfilm.errors import ProviderError
from microfilm.providers.base import AnimateRequest, ClipResult, MultiShotRequest, ProviderInfo
from microfilm.providers import catalogue
from microfilm.providers.jobs import (
    Http,
    JobState,
    JobStatus,
    PaidProvider,
    RefusedError,
    TransientError,
    b64_file,
    download,
)



def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt_token(access_key: str, secret_key: str, now: float | None = None) -> str:
    """HS256 JWT as Kling expects (iss = access key, exp +30 min, nbf -5 s)."""
    t = int(now if now is not None else time.time())
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64url(json.dumps({"iss": access_key, "exp": t + 1800, "nbf": t - 5},
                                 separators=(",", ":")).encode())
    signing = f"{header}.{payload}".encode()
    signature = _b64url(hmac.new(secret_key.encode(), signing, hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def _cut(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at the last whole word."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;. ") + "."


def _elements(prompt: str) -> str:
    return re.sub(r"<<<image_(\d+)>>>", r"<<<element_\1>>>", prompt)


class Kling(PaidProvider):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "kling", is_async=True, extra="kling", env_keys=("KLING_ACCESS_KEY", "KLING_SECRET_KEY"))
    mode: ClassVar[str] = "pro"
    default_base_url = "https://api-singapore.klingai.com"
    base_url_env = "KLING_BASE_URL"

    def _http(self) -> Http:
        token = jwt_token(self.key("KLING_ACCESS_KEY"), self.key("KLING_SECRET_KEY"))
        return Http(self.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=self.timeout)

    @staticmethod
    def _data(body: dict[str, Any]) -> dict[str, Any]:
        code = body.get("code", 0)
        if code in (0, None):
            return body.get("data") or {}
        message = f"kling code {code}: {body.get('message', '')}"
        if code in (1301,):
            raise RefusedError(message)
        if code in (1302, 1303, 5000, 5001, 5002):
            raise TransientError(message)
        raise ProviderError(message)

    def body(self, request: AnimateRequest, idempotency_key: str = "") -> dict[str, Any]:
        body: dict[str, Any] = {"model_name": self.info.model, "image": b64_file(request.image),
                                "prompt": (request.prompt or request.camera)[:2500], "mode": self.mode,
                                "duration": str(int(self.duration_for(request.duration)))}
        if idempotency_key:  # Kling keeps it per task; it lets a lost task id be looked up
            body["external_task_id"] = idempotency_key[:64]
        return body

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        body = self.body(request, idempotency_key)
        return self._data(self._http().post("/v1/videos/image2video", json=body))["task_id"]

    def poll(self, job_id: str) -> JobState:
        data = self._data(self._http().get(f"/v1/videos/image2video/{job_id}"))
        status = data.get("task_status")
        if status == "succeed":
            return JobState(JobStatus.SUCCEEDED, 1.0,
                            result_ref=data["task_result"]["videos"][0]["url"])
        if status == "failed":
            msg = data.get("task_status_msg", "failed")
            refused = any(w in msg.lower() for w in ("risk", "sensitive", "security", "policy"))
            return JobState(JobStatus.REFUSED if refused else JobStatus.FAILED, error=msg)
        return JobState(JobStatus.RUNNING if status == "processing" else JobStatus.QUEUED)

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        download(state.result_ref, out)
        return ClipResult(path=out, duration=0.0, has_audio=False)


class KlingV3(Kling):
    """Kling 3.0 on the same image2video task API: `model_name` kling-v3, 3 to 15 s in whole
    seconds, sound on."""

    info: ClassVar[ProviderInfo] = catalogue.info(
        "kling-v3", is_async=True, extra="kling", env_keys=("KLING_ACCESS_KEY", "KLING_SECRET_KEY"))
    max_elements: ClassVar[int] = 3
    part_prompt_chars: ClassVar[int] = 512

    def body(self, request: AnimateRequest, idempotency_key: str = "") -> dict[str, Any]:
        """Kling 3 adds two things to the image2video body. Elements: each character's
        reference picture as a `frontal_image`, named in the prompt as <<<element_N>>> (the
        family writer names images <<<image_N>>>, Omni's word; the order is the same).
        Multi-shot (a MultiShotRequest): `multi_shot`, `shot_type: customize` and one
        `multi_prompt` entry per shot {index, prompt <= 512 chars, duration in whole seconds},
        the durations summing to the task's; the single `prompt` is not sent."""
        body = super().body(request, idempotency_key)
        paths = tuple(request.reference_paths)[:self.max_elements]
        if paths:
            body["elements"] = [{"frontal_image": b64_file(p)} for p in paths]
        if isinstance(request, MultiShotRequest):
            del body["prompt"]
            body.update(multi_shot=True, shot_type="customize", multi_prompt=[
                {"index": i + 1, "prompt": _cut(_elements(p.prompt), self.part_prompt_chars),
                 "duration": str(p.seconds)} for i, p in enumerate(request.shots)])
        elif paths:  # named before cutting: <<<element_N>>> is longer than <<<image_N>>>
            body["prompt"] = _cut(_elements(request.prompt or request.camera), 2500)
        return body

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        download(state.result_ref, out)
        return ClipResult(path=out, duration=0.0, has_audio=True)
