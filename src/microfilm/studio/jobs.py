"""Background renders: rows in the catalogue, run by the one server process that holds the
runner role.

A job is a row (queued -> running -> done | failed | interrupted). Any server process may
queue one (`submit` inserts the row); exactly one process runs them: the one holding the
runner role, an exclusive `flock` under the studio's home (`runlock.hold`) that the kernel
drops when its process dies, so another process of the same studio takes the role over and
runs again what the dead one had running (the pipeline's cache makes that cheap). While a job
runs, the runner keeps a live snapshot in memory; its progress reaches the row at least every
`persist_every_s` and at every stage change, so a progress stream served by any process, or
a reload of the page, sees where the render is.

When a server starts (`recover`, which needs the role, so never while another live process
runs renders) every row still queued or running belonged to a server that is gone: it is
marked interrupted (and, with `auto_resume`, started again). A second job on a film that has
one queued or running is refused with `JobConflict` (409).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from microfilm import runlock
from microfilm.studio.db import write_transaction
from microfilm.studio.films import relative_paths
from microfilm.studio.models import JOB_ACTIVE, Film, Job, aware, utcnow
from microfilm.studio.security import new_public_id

EditPolicy = Literal["ask", "keep", "force"]


@dataclass(frozen=True)
class Tick:
    """One progress report from the pipeline: `done` of `total` in `stage`."""

    stage: str
    done: int
    total: int
    message: str = ""


@dataclass(frozen=True)
class RunRequest:
    folder: Path
    edit_policy: EditPolicy = "ask"


@dataclass(frozen=True)
class RunResult:
    message: str = ""


class RunFailed(Exception):
    """A render failed in a way a person can act on; `kind` lets the page offer the fix."""

    def __init__(self, message: str, kind: str = "error"):
        super().__init__(message)
        self.kind = kind


class Runner(Protocol):
    def __call__(self, request: RunRequest, tick: Callable[[Tick], None]) -> RunResult: ...


def pipeline_runner(request: RunRequest, tick: Callable[[Tick], None]) -> RunResult:
    """The real render: `microfilm make` on the folder, progress forwarded."""
    from microfilm import pipeline
    from microfilm.errors import BudgetExceeded, ConflictError, MicrofilmError

    def on_progress(p) -> None:
        tick(Tick(stage=p.stage, done=p.done, total=p.total, message=p.message))

    try:
        report = pipeline.make(request.folder, on_progress=on_progress,
                               edit_policy=request.edit_policy)
    except ConflictError as exc:
        raise RunFailed(str(exc), "conflict") from None
    except BudgetExceeded as exc:
        raise RunFailed(str(exc), "budget") from None
    except MicrofilmError as exc:
        raise RunFailed(str(exc)) from None
    ran = [o.stage for o in report.outcomes if o.ran]
    if not ran:
        return RunResult("nothing to do: every stage is up to date")
    return RunResult(f"ran {', '.join(ran)} in {report.elapsed_s:.1f} s")


class JobConflict(Exception):
    def __init__(self, job_public_id: str):
        super().__init__(f"a render of this film is already {job_public_id!r}; wait for it to finish")
        self.job_public_id = job_public_id


@dataclass
class Snapshot:
    """What the film page shows of a job; `version` bumps on every change."""

    public_id: str
    film_id: int
    state: str
    stages: dict[str, dict] = field(default_factory=dict)  # stage -> {done, total, message}
    current: str = ""
    message: str = ""
    error: str = ""
    error_kind: str = ""
    started_at: float | None = None
    finished_at: float | None = None
    version: int = 0

    @property
    def finished(self) -> bool:
        return self.state not in JOB_ACTIVE

    def as_json(self) -> dict:
        return {"id": self.public_id, "state": self.state, "stages": self.stages,
                "current": self.current, "message": self.message, "error": self.error,
                "error_kind": self.error_kind, "started_at": self.started_at,
                "finished_at": self.finished_at, "version": self.version,
                "elapsed_s": round(((self.finished_at or time.time()) - self.started_at), 1)
                if self.started_at else 0.0}

    @classmethod
    def from_row(cls, job: Job) -> "Snapshot":
        prog = job.progress
        started, finished = aware(job.started_at), aware(job.finished_at)
        return cls(public_id=job.public_id, film_id=job.film_id, state=job.state,
                   stages=prog.get("stages", {}), current=prog.get("current", ""),
                   message=job.message, error=job.error, error_kind=job.error_kind,
                   started_at=started.timestamp() if started else None,
                   finished_at=finished.timestamp() if finished else None,
                   version=int(prog.get("version", 0)))


class JobManager:
    """Queues renders in the catalogue and, in the process holding the runner role, runs them.

    `role_dir` names the studio-wide runner lock (`<role_dir>/.microfilm/run.lock`); every
    server process of one studio passes the same. None: this process is always the runner
    (a single process with a catalogue of its own)."""

    def __init__(self, sessions: sessionmaker[Session], projects: Path, runner: Runner | None = None,
                 workers: int = 1, persist_every_s: float = 0.5, role_dir: Path | None = None,
                 poll_s: float = 0.5):
        self._sessions = sessions
        self._projects = projects
        self._runner: Runner = runner or pipeline_runner
        self._role_dir = role_dir
        self._role: ExitStack | None = None  # open while this process holds the runner role
        self._role_lock = threading.Lock()
        self._lock = threading.Lock()
        # Submits in this process one at a time (the one-active-render check, where the
        # catalogue's own write lock does not order them). Not `_lock`: the runner takes
        # `_lock` inside its claim's write transaction, so a submit holding `_lock` while it
        # waits for the write lock was a deadlock until SQLite's 30 s busy timeout (a 500).
        self._submit_lock = threading.Lock()
        self._live: dict[str, Snapshot] = {}
        self._persist_every = persist_every_s
        self._poll = poll_s
        self._wake = threading.Event()
        self._closed = False
        self._started = False
        # Daemon threads: stopping the server must not wait for a render. A render killed
        # mid-way is safe (atomic writes, the paid-call ledger) and is taken over or marked
        # interrupted.
        self._threads = [threading.Thread(target=self._work, name=f"microfilm-job-{i}", daemon=True)
                         for i in range(max(1, workers))]

    # ---- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the render threads (they claim the runner role when it is free)."""
        if not self._started:
            self._started = True
            for t in self._threads:
                t.start()

    @property
    def is_runner(self) -> bool:
        return self._role is not None or self._role_dir is None

    def _claim_role(self) -> bool:
        """Take the runner role if no live process holds it; True when this process holds it.
        Taking it over from a process that died means running again what it had running."""
        if self.is_runner:
            return True
        with self._role_lock:
            if self._role is not None:
                return True
            stack = ExitStack()
            try:
                stack.enter_context(runlock.hold(self._role_dir, command="microfilm serve (renders)",
                                                 label="the studio's renders"))
            except runlock.RunLocked:
                stack.close()
                return False
            self._role = stack
            self._take_over()
        return True

    def _release_role(self) -> None:
        with self._role_lock:
            if self._role is not None:
                self._role.close()
                self._role = None

    def recover(self, resume: bool = False) -> list[str]:
        """At a server's start: mark jobs a previous server left queued or running as
        interrupted; return their ids. With `resume`, start a fresh render for each of their
        films. Done only with the runner role: rows another live process is running are its."""
        if not self._claim_role():
            return []
        with write_transaction(self._sessions) as db:
            rows = db.scalars(select(Job).where(Job.state.in_(JOB_ACTIVE))).all()
            ids = [(j.public_id, j.film_id, j.edit_policy) for j in rows]
            for j in rows:
                j.state = "interrupted"
                j.error = j.error or "the server stopped while this render was running; resume it to continue"
                j.error_kind = "interrupted"
                j.finished_at = utcnow()
        if resume:
            for _, film_id, policy in ids:
                try:
                    self.submit(film_id, user_id=None, edit_policy=policy)  # type: ignore[arg-type]
                except JobConflict:
                    pass
        return [i for i, _, _ in ids]

    def _take_over(self) -> None:
        """Rows left running when the role was free are a dead runner's: run them again."""
        with self._sessions.begin() as db:
            db.execute(update(Job).where(Job.state == "running")
                       .values(state="queued", message="taken over after a server process stopped"))

    def shutdown(self, wait: float = 0.0) -> None:
        """Stop taking jobs; with `wait`, give running renders that many seconds to end. The
        runner role is let go, so another process of the studio takes it over."""
        self._closed = True
        self._wake.set()
        if wait and self._started:
            for t in self._threads:
                t.join(timeout=wait)
        self._release_role()

    def _work(self) -> None:
        while not self._closed:
            try:
                claimed = self._claim_next() if self._claim_role() else None
            except Exception as exc:  # noqa: BLE001 - the catalogue away for a moment: try again
                print(f"microfilm studio: renders wait for the catalogue ({type(exc).__name__})",
                      file=sys.stderr, flush=True)
                claimed = None
            if claimed is None:
                self._wake.wait(self._poll)
                self._wake.clear()
                continue
            self._run(*claimed)

    def _claim_next(self) -> tuple[str, Path, EditPolicy] | None:
        """The oldest queued job, marked running by this process (an update that only one
        thread can win), with its film's folder."""
        with self._sessions() as db:  # a plain read first: the write lock only when there is work
            if db.scalars(select(Job.id).where(Job.state == "queued").limit(1)).first() is None:
                return None
        with write_transaction(self._sessions) as db:
            job = db.scalars(select(Job).where(Job.state == "queued").order_by(Job.id)).first()
            if job is None:
                return None
            won = db.execute(update(Job).where(Job.id == job.id, Job.state == "queued")
                             .values(state="running", started_at=utcnow())).rowcount
            if not won:
                return None
            folder = self._projects / job.film.folder
            snap = Snapshot.from_row(job)
            snap.state, snap.started_at = "running", time.time()
            with self._lock:
                self._live[job.public_id] = snap
            return job.public_id, folder, job.edit_policy  # type: ignore[return-value]

    # ---- submit ------------------------------------------------------------------------

    def active_for_film(self, db: Session, film_id: int) -> Job | None:
        return db.scalars(select(Job).where(Job.film_id == film_id, Job.state.in_(JOB_ACTIVE))
                          .order_by(Job.id.desc())).first()

    def submit(self, film_id: int, user_id: int | None, edit_policy: EditPolicy = "ask") -> Job:
        if edit_policy not in ("ask", "keep", "force"):
            raise ValueError(f"edit policy must be ask, keep or force, got {edit_policy!r}")
        if self._closed:
            raise RuntimeError("the studio is shutting down; start the render again after the restart")
        with self._submit_lock, write_transaction(self._sessions) as db:
            active = self.active_for_film(db, film_id)
            if active is not None:
                raise JobConflict(active.public_id)
            film = db.get(Film, film_id)
            if film is None:
                raise LookupError(f"no film {film_id}")
            job = Job(public_id=new_public_id(), film_id=film_id, created_by=user_id,
                      kind="make", edit_policy=edit_policy, state="queued",
                      progress_json=json.dumps({"stages": {}, "version": 0}),
                      created_at=utcnow())
            db.add(job)
            db.flush()
        self._wake.set()  # this process's runner, if it is one, starts it now; another polls
        return job

    # ---- reading -----------------------------------------------------------------------

    def live(self, public_id: str) -> Snapshot | None:
        """A copy of the snapshot of a job this process is running, from memory (no
        catalogue): cheap enough for the event loop, which the progress stream polls from.
        None in the other server processes: they read the row."""
        with self._lock:
            live = self._live.get(public_id)
            if live is not None:
                return Snapshot(**{**live.__dict__, "stages": {k: dict(v) for k, v in live.stages.items()}})
        return None

    def snapshot(self, public_id: str, db: Session | None = None) -> Snapshot | None:
        """The live snapshot, else the row's. A request passes its own session `db`, so it
        never holds two pooled connections at once (two per request is how a burst of
        page loads used to drain the pool)."""
        live = self.live(public_id)
        if live is not None:
            return live
        if db is not None:
            job = db.scalars(select(Job).where(Job.public_id == public_id)).first()
            return Snapshot.from_row(job) if job else None
        with self._sessions() as own:
            job = own.scalars(select(Job).where(Job.public_id == public_id)).first()
            return Snapshot.from_row(job) if job else None

    def latest_for_film(self, db: Session, film_id: int) -> Job | None:
        return db.scalars(select(Job).where(Job.film_id == film_id).order_by(Job.id.desc())).first()

    # ---- the worker --------------------------------------------------------------------

    def _persist(self, snap: Snapshot, final: bool = False) -> None:
        values = {"state": snap.state, "message": snap.message, "error": snap.error,
                  "error_kind": snap.error_kind,
                  "progress_json": json.dumps({"stages": snap.stages, "current": snap.current,
                                               "version": snap.version}, ensure_ascii=False)}
        if snap.state == "running" and snap.version <= 1:
            values["started_at"] = utcnow()
        if final:
            values["finished_at"] = utcnow()
        with self._sessions.begin() as db:
            db.execute(update(Job).where(Job.public_id == snap.public_id).values(**values))

    def _run(self, public_id: str, folder: Path, edit_policy: EditPolicy) -> None:
        last_write = 0.0
        with self._lock:
            snap = self._live[public_id]
            snap.version += 1
        self._persist(snap)

        def tick(t: Tick) -> None:
            nonlocal last_write
            with self._lock:
                new_stage = t.stage != snap.current
                snap.current = t.stage
                snap.stages[t.stage] = {"done": t.done, "total": t.total, "message": t.message}
                snap.version += 1
            now = time.monotonic()
            if new_stage or now - last_write >= self._persist_every:
                last_write = now
                self._persist(snap)

        state, message, error, kind = "done", "", "", ""
        try:
            result = self._runner(RunRequest(folder=folder, edit_policy=edit_policy), tick)
            message = result.message
        except RunFailed as exc:
            state, error, kind = "failed", relative_paths(str(exc), folder), exc.kind
        except Exception as exc:  # noqa: BLE001 - a render must never take the server down
            state, error, kind = "failed", relative_paths(f"{type(exc).__name__}: {exc}", folder), "error"
        # The row first, then the live snapshot: whoever sees the job finished (the page, the
        # stream) finds the catalogue agreeing, so an action right after is not refused (409).
        with self._lock:
            final = Snapshot(**{**snap.__dict__, "stages": dict(snap.stages)})
        final.state, final.message, final.error, final.error_kind = state, message, error, kind
        final.finished_at, final.version = time.time(), final.version + 1
        self._persist(final, final=True)
        with self._lock:
            self._live.pop(public_id, None)
