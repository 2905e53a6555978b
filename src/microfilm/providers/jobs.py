"""How every paid call is made: recorded first, sent once, polled, stored atomically.

Two shapes of provider:
- sync (images, speech): `call(request) -> result`, writing to `request.out`;
- async (video, some music): `submit(request, idempotency_key=...) -> job_id`,
  `poll(job_id) -> JobState`, `fetch(job_id, state, out) -> result`.

`execute()` wraps both with the never-pay-twice rules:
1. the request hash (the cache key of the request and the provider's id/model/version) is
   recorded in the ledger and committed BEFORE anything is sent;
2. the provider's job id is committed as soon as it is known;
3. a request the ledger already holds as submitted is polled, never submitted again; one
   already done is returned from its stored result;
4. 429 (honouring Retry-After), 5xx and timeouts are retried with bounded exponential
   backoff; polling is bounded by a maximum wait;
5. a content-policy refusal raises RefusedError with the refused prompt, for that shot only;
6. the result is written to a temporary file, checked (media_check), published by atomic
   rename, then marked done with its cost.

The shared HTTP helper (`Http`) and the `PaidProvider` base keep each provider module to the
few lines that differ: its endpoints and fields.
"""

from __future__ import annotations

import base64
import importlib.util
import mimetypes
import os
import random
import shutil
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Callable, ClassVar, ContextManager, Iterable

import httpx
from pydantic import BaseModel

from microfilm.cache import cache_key
from microfilm.errors import MediaError, ProviderError
from microfilm.errors import BadMediaError  # re-exported: media_check raises it, jobs catches it
from microfilm.ledger import IN_FLIGHT, ClaimedElsewhere, Ledger, Status
from microfilm.providers import keys
from microfilm.providers.base import (
    AudioResult,
    ClipResult,
    ImageResult,
    ProviderInfo,
)
from microfilm.providers.pricing import BudgetGuard, Money, billed_duration, estimate_for

# ---- states and errors -----------------------------------------------------------------


class JobStatus(str, Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUSED = "refused"


TERMINAL = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.REFUSED)


@dataclass(frozen=True)
class JobState:
    status: JobStatus
    progress: float | None = None  # 0..1 when the provider says
    error: str = ""
    result_ref: str = ""  # what fetch() downloads: a URL, a file id
    cost: float | None = None  # the provider's own figure, in its currency, when it gives one

    @property
    def done(self) -> bool:
        return self.status in TERMINAL


class TransientError(ProviderError):
    """A failure worth retrying: 429, 5xx, a timeout, a dropped or truncated transfer."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(keys.redact(message))
        self.retry_after = retry_after


class RefusedError(ProviderError):
    """The provider refused the content (policy). Carries the prompt it refused."""

    def __init__(self, message: str, *, prompt: str = "", provider: str = "", shot_id: str = ""):
        super().__init__(keys.redact(message))
        self.prompt = prompt
        self.provider = provider
        self.shot_id = shot_id

    def __str__(self) -> str:
        where = f" (shot {self.shot_id})" if self.shot_id else ""
        who = f"{self.provider}: " if self.provider else ""
        said = super().__str__()
        return f"{who}content refused{where}: {said}" + (f"\nprompt: {self.prompt}" if self.prompt else "")


class JobFailedError(ProviderError):
    """The provider ran the job and it failed (not a refusal); a new attempt may succeed."""


class PollTimeoutError(ProviderError):
    """The job is still running after the maximum wait; its id is kept, a later run polls it."""


# ---- retries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds for retries and polling. Tests shrink the delays; production keeps these."""

    retries: int = 5  # extra tries after a transient failure
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_retry_after: float = 300.0  # a longer Retry-After is capped, not ignored
    poll_interval: float | None = None  # default: the provider's poll_every_s
    max_poll_interval: float = 30.0
    max_wait: float | None = None  # default: the provider's max_wait_s
    refetch: int = 2  # re-downloads of a bad file before the job is failed
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)


def _retry_after(headers: Any) -> float | None:
    if not headers:
        return None
    try:
        value = headers.get("retry-after") or headers.get("Retry-After")
    except AttributeError:
        return None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _status_of(exc: BaseException) -> int | None:
    for attr in ("status_code", "status", "code", "http_status"):
        value = getattr(exc, attr, None)
        if isinstance(value, int) and 100 <= value <= 599:
            return value
    response = getattr(exc, "response", None)
    value = getattr(response, "status_code", None)
    return value if isinstance(value, int) else None


def _headers_of(exc: BaseException) -> Any:
    return getattr(exc, "headers", None) or getattr(getattr(exc, "response", None), "headers", None)


def classify(exc: BaseException, refusal_markers: Iterable[str] = ()) -> ProviderError:
    """Map any client or SDK exception to TransientError, RefusedError or ProviderError."""
    if isinstance(exc, (TransientError, RefusedError, ProviderError, MediaError)):
        return exc  # type: ignore[return-value]
    message = keys.redact(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, (httpx.TimeoutException, httpx.TransportError, TimeoutError, ConnectionError)):
        return TransientError(message)
    name = type(exc).__name__
    status = _status_of(exc)
    if status is None and ("Timeout" in name or "Connection" in name):
        return TransientError(message)  # SDK wrappers of timeouts and dropped connections
    if status == 429:
        return TransientError(message, retry_after=_retry_after(_headers_of(exc)))
    if status is not None and (status >= 500 or status == 408):
        return TransientError(message, retry_after=_retry_after(_headers_of(exc)))
    lowered = message.lower()
    if any(m.lower() in lowered for m in refusal_markers):
        return RefusedError(message)
    return ProviderError(message)


def retrying(fn: Callable[[], Any], *, policy: RetryPolicy, what: str,
             markers: Iterable[str] = ()) -> Any:
    """Run `fn`, retrying transient failures with bounded exponential backoff."""
    attempt = 0
    while True:
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - every failure is classified below
            err = classify(exc, markers)
            if not isinstance(err, TransientError) or attempt >= policy.retries:
                if isinstance(err, TransientError):
                    err = TransientError(f"{what}: gave up after {attempt + 1} tries: {err}")
                raise err from None  # no chained SDK traceback: it may echo headers
            if err.retry_after is not None:
                delay = min(err.retry_after, policy.max_retry_after)
            else:
                delay = min(policy.max_delay, policy.base_delay * (2 ** attempt))
                delay *= 0.75 + random.random() / 2  # jitter so parallel shots spread out
            policy.sleep(delay)
            attempt += 1


# ---- shared HTTP helper ----------------------------------------------------------------


class Http:
    """A small JSON-over-HTTP client for providers without a usable SDK (httpx)."""

    def __init__(self, base_url: str, *, headers: dict[str, str] | None = None,
                 timeout: float = 60.0, refusal_markers: Iterable[str] = ()):
        self.base_url = base_url.rstrip("/")
        self.markers = tuple(refusal_markers)
        self.client = httpx.Client(base_url=self.base_url, headers=headers or {},
                                   timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
                                   follow_redirects=True)

    def request(self, method: str, path: str, *, json: Any = None, params: dict | None = None,
                headers: dict[str, str] | None = None, data: Any = None,
                files: Any = None) -> Any:
        try:
            response = self.client.request(method, path, json=json, params=params,
                                           headers=headers, data=data, files=files)
        except httpx.HTTPError as exc:
            raise classify(exc) from None
        check_response(response, self.markers)
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise ProviderError(f"{method} {path}: expected JSON, got "
                                f"{response.headers.get('content-type', '?')}") from None

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.request("POST", path, **kw)

    def bytes(self, method: str, path: str, **kw: Any) -> bytes:
        try:
            response = self.client.request(method, path, **kw)
        except httpx.HTTPError as exc:
            raise classify(exc) from None
        check_response(response, self.markers)
        return response.content

    def download(self, url: str, out: Path, *, headers: dict[str, str] | None = None) -> Path:
        return download(url, out, client=self.client, headers=headers)


def check_response(response: httpx.Response, markers: Iterable[str] = ()) -> None:
    """Raise the right error for a non-2xx response; the body is redacted and cut short."""
    code = response.status_code
    if code < 400:
        return
    body = keys.redact_then_cut(response.text, 600)
    where = f"{response.request.method} {response.request.url.path}"
    if code == 429:
        raise TransientError(f"{where}: 429 rate limited: {body}",
                             retry_after=_retry_after(response.headers))
    if code >= 500 or code == 408:
        raise TransientError(f"{where}: {code}: {body}", retry_after=_retry_after(response.headers))
    if any(m.lower() in body.lower() for m in markers):
        raise RefusedError(f"{where}: {code}: {body}")
    hint = " (check the API key)" if code in (401, 403) else ""
    raise ProviderError(f"{where}: {code}{hint}: {body}")


def download(url: str, out: Path, *, client: httpx.Client | None = None,
             headers: dict[str, str] | None = None, timeout: float = 300.0) -> Path:
    """Stream `url` to `out`; a transfer shorter than its Content-Length is transient."""
    own = client is None
    http = client or httpx.Client(timeout=timeout, follow_redirects=True)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with http.stream("GET", url, headers=headers) as response:
            if response.status_code >= 400:
                response.read()
                check_response(response)
            expected = int(response.headers.get("content-length") or 0)
            got = 0
            with open(out, "wb") as fh:
                for chunk in response.iter_bytes(1 << 16):
                    fh.write(chunk)
                    got += len(chunk)
        if expected and got != expected:
            raise TransientError(f"download cut short: {got} of {expected} bytes")
        if got == 0:
            raise TransientError("download was empty")
    except httpx.HTTPError as exc:
        raise classify(exc) from None
    finally:
        if own:
            http.close()
    return out


def data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode('ascii')}"


def b64_file(path: Path) -> str:
    return base64.b64encode(Path(path).read_bytes()).decode("ascii")


def aspect_of(width: int, height: int, allowed: Iterable[str] = ("9:16", "16:9", "1:1")) -> str:
    """The allowed aspect name closest to width:height."""
    ratio = width / height
    best = min(allowed, key=lambda a: abs(_ratio(a) - ratio))
    return best


def _ratio(name: str) -> float:
    a, b = name.replace("x", ":").split(":")
    return float(a) / float(b)


def closest_size(width: int, height: int, sizes: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """The provider size whose aspect is closest to the request's, then the largest."""
    ratio = width / height
    return min(sizes, key=lambda s: (round(abs(s[0] / s[1] - ratio), 3), -s[0] * s[1]))


# ---- the base of every paid provider -------------------------------------------------------

RESULT_TYPES: dict[str, type[BaseModel]] = {
    "painter": ImageResult,
    "animator": ClipResult,
    "voice": AudioResult,
    "composer": AudioResult,
    "lipsync": ClipResult,  # a clip with the line fitted to the face (models12)
}


class PaidProvider:
    """Common ground for real services: keys, availability, pricing, media checks.

    Subclasses set `info`, `sdk` (modules their extra installs), and implement `call` (sync)
    or `submit`/`poll`/`fetch` (async). The protocol entry method (`paint`, `animate`,
    `speak`, `compose`) runs through `execute()` with the ledger given at construction.
    """

    info: ClassVar[ProviderInfo]
    sdk: ClassVar[tuple[str, ...]] = ()
    key_aliases: ClassVar[dict[str, tuple[str, ...]]] = {}
    refusal_markers: ClassVar[tuple[str, ...]] = ()
    max_wait_s: ClassVar[float] = 1200.0
    poll_every_s: ClassVar[float] = 5.0
    retired_on: ClassVar[str] = ""  # ISO date the service shut down, when announced and past
    default_base_url: ClassVar[str] = ""
    base_url_env: ClassVar[str] = ""

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None,
                 timeout: float = 120.0, ledger: Ledger | None = None,
                 budget: BudgetGuard | None = None, policy: RetryPolicy | None = None,
                 shot_id: str = ""):
        self._api_key = api_key
        if api_key:
            keys.remember(api_key)
        self.base_url = (base_url or (os.environ.get(self.base_url_env) if self.base_url_env else None)
                         or self.default_base_url)
        self.timeout = timeout
        self.ledger = ledger
        self.budget = budget
        self.policy = policy or RetryPolicy()
        self.shot_id = shot_id

    # availability ------------------------------------------------------------------
    @classmethod
    def _key(cls, name: str) -> str | None:
        for candidate in (name, *cls.key_aliases.get(name, ())):
            value = keys.get(candidate)
            if value:
                return value
        return None

    @classmethod
    def missing(cls) -> list[str]:
        out: list[str] = []
        if cls.retired_on and time.strftime("%Y-%m-%d") >= cls.retired_on:
            out.append(f"{cls.info.model} was shut down by its provider on {cls.retired_on}")
        for module in cls.sdk:
            try:
                found = importlib.util.find_spec(module) is not None
            except (ImportError, ValueError):
                found = False
            if not found:
                out.append(f"install microfilm[{cls.info.extra}]")
                break
        for name in cls.info.env_keys:
            if cls._key(name) is None:
                out.append(f"set {name}")
        return out

    def key(self, name: str | None = None) -> str:
        if self._api_key and name in (None, self.info.env_keys[0] if self.info.env_keys else None):
            return self._api_key
        wanted = name or self.info.env_keys[0]
        value = self._key(wanted)
        if value is None:
            raise ProviderError(f"{self.info.id}: set {wanted} in the environment or in "
                                f"{keys.keys_file()}")
        return value

    # pricing and planning --------------------------------------------------------------
    def duration_for(self, requested: float) -> float:
        return billed_duration(self.info.capabilities, requested)

    def price(self, request: Any) -> Money:
        from microfilm.providers.pricing import estimate

        return estimate(self.info, request)

    # media check ---------------------------------------------------------------------
    def check(self, request: Any, result: Any, out: Path) -> Any:
        """Verify and conform the raw file to what the request asked; write it to `out`."""
        from microfilm.providers import media_check

        cap = self.info.capability
        if cap == "painter":
            return media_check.conform_image(result.path, out, width=request.width,
                                             height=request.height)
        if cap == "animator":
            return media_check.conform_clip(
                result.path, out, expected_duration=self.duration_for(request.duration),
                width=request.width, height=request.height, fps=request.fps)
        return media_check.conform_audio(result.path, out)

    # entry methods (the protocols in base.py) ----------------------------------------------
    def _run(self, request: Any) -> Any:
        if self.ledger is None:
            raise ProviderError(
                f"{self.info.id} is a paid provider: give it a ledger "
                "(Ledger.for_project(project)) so no call is paid twice, or use jobs.execute()")
        return execute(self, request, ledger=self.ledger, budget_guard=self.budget,
                       shot_id=self.shot_id, policy=self.policy)

    def paint(self, request: Any) -> ImageResult:
        return self._run(request)

    def animate(self, request: Any) -> ClipResult:
        return self._run(request)

    def speak(self, request: Any) -> AudioResult:
        return self._run(request)

    def compose(self, request: Any) -> AudioResult:
        return self._run(request)


def is_async(provider: Any) -> bool:
    return bool(provider.info.is_async)


def request_hash(info: ProviderInfo, request: Any) -> str:
    """The paid call's identity: the request's canonical JSON plus provider id/model/version."""
    return cache_key(f"paid:{info.capability}", request, info.cache_identity())


def _temp_for(out: Path, tag: str) -> Path:
    return out.with_name(f".{out.stem}.{tag}.{os.getpid()}.{time.monotonic_ns()}.tmp{out.suffix}")


def _prompt_of(request: Any) -> str:
    return str(getattr(request, "prompt", "") or getattr(request, "text", "") or "")


def execute(provider: Any, request: Any, *, ledger: Ledger, budget_guard: BudgetGuard | None = None,
            out: Path | None = None, shot_id: str = "", policy: RetryPolicy | None = None,
            retry_refused: bool = False,
            slot: Callable[[], ContextManager[Any]] | None = None) -> Any:
    """Make (or resume) one paid call under the never-pay-twice rules; return its result.

    While another live process has the same request in flight (two runs of one film), this
    one waits for it, bounded by the provider's maximum wait, and then uses its result.
    `slot`: held while the service works on the call (send, and for a job its polling),
    not while the result downloads and is checked: the caller's limit on calls in flight
    (microfilm.lanes) frees as soon as the service does.
    """
    policy = policy or getattr(provider, "policy", None) or RetryPolicy()
    max_wait = policy.max_wait if policy.max_wait is not None else provider.max_wait_s
    interval = policy.poll_interval if policy.poll_interval is not None else provider.poll_every_s
    deadline = time.monotonic() + max_wait
    h = request_hash(provider.info, request)
    while True:
        try:
            with ledger.holding(h):  # the claim's lease, renewed while this call works
                return _execute(provider, request, ledger=ledger, budget_guard=budget_guard,
                                out=out, shot_id=shot_id, policy=policy,
                                retry_refused=retry_refused, slot=slot or nullcontext)
        except ClaimedElsewhere as other:
            if not other.pid:
                continue  # the row changed between reading and claiming it: read it again
            if time.monotonic() >= deadline:
                raise ProviderError(
                    f"{provider.info.id}: pid {other.pid} on {other.host} has been sending "
                    f"this request for over {max_wait:.0f} s; it was not sent again") from None
            policy.sleep(interval)
        finally:
            ledger.release(h)


def _execute(provider: Any, request: Any, *, ledger: Ledger, budget_guard: BudgetGuard | None,
             out: Path | None, shot_id: str, policy: RetryPolicy, retry_refused: bool,
             slot: Callable[[], ContextManager[Any]] = nullcontext) -> Any:
    info: ProviderInfo = provider.info
    out = Path(out or request.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    rtype = RESULT_TYPES[info.capability]
    h = request_hash(info, request)
    markers = getattr(provider, "refusal_markers", ())
    row = ledger.get(h)

    if row is not None and row.status == Status.DONE and row.result_path:
        stored = Path(row.result_path)
        if stored.exists() and stored.stat().st_size > 0:
            result = rtype.model_validate_json(row.result_json or "{}")
            if stored.resolve() != out.resolve():
                tmp = _temp_for(out, "copy")
                shutil.copyfile(stored, tmp)
                os.replace(tmp, out)
                result = result.model_copy(update={"path": out})
            return result
    if row is not None and row.status == Status.REFUSED and not retry_refused:
        raise RefusedError(row.error, prompt=_prompt_of(request), provider=info.id,
                           shot_id=row.shot_id or shot_id)

    if row is not None and row.status in IN_FLIGHT:
        row = ledger.claim(h)  # ClaimedElsewhere while another live process has it
        if row is None or row.status not in IN_FLIGHT:
            raise ClaimedElsewhere(0, "")  # it ended meanwhile: start over from the ledger
    job_id: str | None = None
    if row is not None and row.status == Status.SUBMITTED and row.job_id and info.is_async:
        job_id = row.job_id  # in flight: poll it, never submit again
    elif row is not None and row.status == Status.DONE and row.job_id and info.is_async:
        job_id = row.job_id  # done but the file is gone: fetch it again, free
    elif row is not None and row.status == Status.PENDING:
        pass  # recorded, maybe sent before a crash: send again under the same idempotency key
    else:
        cost = estimate_for(provider, request)
        if budget_guard is not None:
            budget_guard.reserve(cost, f"{info.id} for {shot_id or 'this asset'}")
        row = ledger.record(h, provider=info.id, model=info.model, capability=info.capability,
                            shot_id=shot_id, estimated=cost)
    cost = Money(row.estimated_cost, row.currency) if row else estimate_for(provider, request)

    try:
        if not info.is_async:
            raw_out = _temp_for(out, "raw")
            ledger.note_send(h, "call")
            try:
                with slot():
                    raw = retrying(lambda: provider.call(request.model_copy(update={"out": raw_out})),
                                   policy=policy, what=f"{info.id} call", markers=markers)
                return _publish(provider, request, raw, out, ledger, h, cost, rtype, None)
            finally:
                raw_out.unlink(missing_ok=True)

        with slot():
            if job_id is None:
                ledger.note_send(h, "submit")
                job_id = retrying(lambda: provider.submit(request, idempotency_key=h),
                                  policy=policy, what=f"{info.id} submit", markers=markers)
                ledger.set_job(h, str(job_id))
            state = wait(provider, str(job_id), policy=policy, markers=markers)
        if state.status == JobStatus.REFUSED:
            raise RefusedError(state.error or "refused by content policy")
        if state.status == JobStatus.FAILED:
            raise JobFailedError(f"{info.id} job {job_id} failed: {keys.redact(state.error)}")
        actual = Money(state.cost, cost.currency) if state.cost is not None else cost
        last: BadMediaError | None = None
        for _ in range(policy.refetch + 1):
            raw_out = _temp_for(out, "raw")
            try:
                raw = retrying(lambda: provider.fetch(str(job_id), state, raw_out),
                               policy=policy, what=f"{info.id} download", markers=markers)
                return _publish(provider, request, raw, out, ledger, h, actual, rtype, job_id)
            except BadMediaError as exc:
                last = exc
            finally:
                raw_out.unlink(missing_ok=True)
        assert last is not None
        ledger.mark_failed(h, f"bad media after {policy.refetch + 1} downloads: {last}",
                           actual=actual.amount)
        raise last
    except RefusedError as exc:
        ledger.mark_refused(h, str(exc.args[0]) if exc.args else "refused")
        raise RefusedError(exc.args[0] if exc.args else "refused", prompt=_prompt_of(request),
                           provider=info.id, shot_id=shot_id or (row.shot_id if row else "")) from None
    except JobFailedError as exc:
        ledger.mark_failed(h, str(exc))
        raise
    except (PollTimeoutError, TransientError):
        raise  # still in flight (or unsent): the ledger keeps it, a later run resumes it
    except BadMediaError as exc:
        if not info.is_async:
            ledger.mark_failed(h, f"bad media: {exc}", actual=cost.amount)
        raise
    except ProviderError as exc:
        current = ledger.get(h)
        if current is not None and current.status in IN_FLIGHT and not current.job_id:
            ledger.mark_failed(h, str(exc))  # never accepted: nothing was billed
        raise


def _publish(provider: Any, request: Any, raw: Any, out: Path, ledger: Ledger, h: str,
             cost: Money, rtype: type[BaseModel], job_id: str | None) -> Any:
    checked_tmp = _temp_for(out, "ok")
    try:
        result = provider.check(request, raw, checked_tmp)
        os.replace(checked_tmp, out)
    finally:
        checked_tmp.unlink(missing_ok=True)
    result = rtype.model_validate(result.model_dump() | {"path": out})
    ledger.mark_done(h, actual=cost, result_path=out, result_json=result.model_dump_json())
    return result


def wait(provider: Any, job_id: str, *, policy: RetryPolicy, markers: Iterable[str] = ()) -> JobState:
    """Poll `job_id` until it ends or the maximum wait passes (bounded, backing off)."""
    max_wait = policy.max_wait if policy.max_wait is not None else provider.max_wait_s
    interval = policy.poll_interval if policy.poll_interval is not None else provider.poll_every_s
    start = time.monotonic()
    deadline = start + max_wait
    first = interval
    while True:
        state: JobState = retrying(lambda: provider.poll(job_id), policy=policy,
                                   what=f"{provider.info.id} poll", markers=markers)
        if state.done:
            return state
        left = deadline - time.monotonic()
        if left <= 0:
            raise PollTimeoutError(
                f"{provider.info.id} job {job_id} still {state.status.value} after "
                f"{max_wait:.0f} s; it stays in the ledger and the next run polls it again")
        policy.sleep(min(interval, left))
        # back off, but never past 5% of the time waited: a job that ends just after a poll
        # is seen late by at most ~5% of its latency (issue 14: paid wall time near ceil(N/C) x L)
        interval = min(interval * 1.5, policy.max_poll_interval,
                       max(first, 0.05 * (time.monotonic() - start)))
