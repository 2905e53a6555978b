"""The ledger of paid requests: what was asked, of whom, what it cost, and where it is now.

One SQLite file per project (`.microfilm/ledger.sqlite`, WAL mode). A request is recorded and
COMMITTED before it is sent; the provider's job id is committed as soon as it is known; the
result path and actual cost are committed after the result is stored. A run killed at any
point (kill -9 included) leaves a ledger that says exactly which requests are unsent, in
flight (poll them, do not resubmit) or done. Every send is also logged in `submissions`, so
a duplicate paid call would show there.

Across processes, a request in flight carries a claim (pid and host of the process sending
or polling it), taken in the same IMMEDIATE transaction that reads the row: a second
process that finds a live claim waits for the first instead of sending the request again.
A claim whose process is dead (a crash, kill -9) is taken over: on the same machine its pid
says so; from another machine a claim is a lease (LEASE_S) that its holder keeps renewing,
so a node that died stops renewing and its requests are taken over, never sent twice while
it lives.

No key or secret ever enters the ledger: rows hold hashes, ids, costs, statuses and paths,
and error texts pass through `keys.redact` first.

On a cluster (microfilm.executor on Ray) the ledger has one authority for every node and
driver: PostgreSQL at the `ledger_url` setting (env MICROFILM_LEDGER_URL), one schema per
film folder, the same tables and the same claim rules (`PgLedger`). Writes take a
transaction-scoped advisory lock, so they are serialised cluster-wide as SQLite serialises
them on one machine. SQLite stays the local default.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Iterator

from microfilm.cache import STATE_DIR
from microfilm.errors import MicrofilmError
from microfilm.money import Currency, Money
from microfilm.redaction import redact_then_cut

LEDGER_NAME = "ledger.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS paid_requests (
    request_hash   TEXT PRIMARY KEY,
    provider       TEXT NOT NULL,
    model          TEXT NOT NULL,
    capability     TEXT NOT NULL,
    shot_id        TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    job_id         TEXT,
    estimated_cost REAL NOT NULL DEFAULT 0,
    actual_cost    REAL,
    currency       TEXT NOT NULL DEFAULT 'USD',
    created_at     REAL NOT NULL,
    updated_at     REAL NOT NULL,
    error          TEXT NOT NULL DEFAULT '',
    result_path    TEXT,
    result_json    TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    spent_before   REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS paid_requests_shot ON paid_requests(shot_id);
CREATE TABLE IF NOT EXISTS submissions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    request_hash TEXT NOT NULL,
    attempt      INTEGER NOT NULL DEFAULT 1,
    job_id       TEXT,
    sent_at      REAL NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS submissions_hash ON submissions(request_hash);
"""

# Added after the first release: a ledger from before gets them on open.
_CLAIM_COLUMNS = {"claim_pid": "INTEGER", "claim_host": "TEXT NOT NULL DEFAULT ''",
                  "claim_at": "REAL"}
_HOST = socket.gethostname()


LEASE_S = 300.0
"""How long a claim taken on another machine stands unrenewed. Its holder renews it every
LEASE_S / 3 while it works (`Ledger.holding`), so only the claim of a machine or process that
died runs out, and the request is then taken over. On the claim's own machine the pid says at
once whether its process lives."""


def _alive(pid: int | None, host: str, claim_at: float | None = None) -> bool:
    """Whether the process that took a claim may still be working on it."""
    if not pid:
        return False
    if host and host != _HOST:  # another machine's process: alive while it renews its lease
        return claim_at is not None and time.time() - claim_at < LEASE_S
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ClaimedElsewhere(Exception):
    """Another live process holds the request (internal: `jobs.execute` waits for it)."""

    def __init__(self, pid: int, host: str):
        super().__init__(f"pid {pid} on {host}")
        self.pid, self.host = pid, host


class Status(str, Enum):
    PENDING = "pending"  # recorded, maybe sent, no job id yet
    SUBMITTED = "submitted"  # the provider accepted it: job id known, poll it
    DONE = "done"  # result stored, cost final
    FAILED = "failed"  # the provider (or the media check) failed it; a new attempt may follow
    REFUSED = "refused"  # content policy: not retried with the same prompt


IN_FLIGHT = (Status.PENDING, Status.SUBMITTED)


@dataclass(frozen=True)
class Row:
    request_hash: str
    provider: str
    model: str
    capability: str
    shot_id: str
    status: Status
    job_id: str | None
    estimated_cost: float
    actual_cost: float | None
    currency: Currency
    created_at: float
    updated_at: float
    error: str
    result_path: str | None
    result_json: str | None
    attempts: int
    spent_before: float  # money spent on earlier, failed attempts of the same request
    claim_pid: int | None = None  # the process sending or polling it now, if any
    claim_host: str = ""
    claim_at: float | None = None

    @property
    def committed(self) -> float:
        """Money this request has cost or is about to cost, in its currency."""
        if self.status in IN_FLIGHT:
            current = self.estimated_cost
        else:
            current = self.actual_cost or 0.0
        return self.spent_before + current

    def result(self) -> dict | None:
        return json.loads(self.result_json) if self.result_json else None


class Ledger:
    """Paid-request ledger on one SQLite file; safe across threads and processes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Two processes opening a new ledger at once can both hold a read lock and want to
        # write (WAL switch, schema): SQLite then answers one "database is locked" at once,
        # without waiting (a wait could deadlock). Opening again a moment later succeeds.
        deadline = time.monotonic() + 30
        while True:
            try:
                self._create()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _create(self) -> None:
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(_SCHEMA)
            have = {r[1] for r in con.execute("PRAGMA table_info(paid_requests)")}
            for name, decl in _CLAIM_COLUMNS.items():
                if name not in have:
                    try:
                        con.execute(f"ALTER TABLE paid_requests ADD COLUMN {name} {decl}")
                    except sqlite3.OperationalError:  # another process added it first
                        pass

    @classmethod
    def for_project(cls, project: Path) -> "Ledger":
        return cls(Path(project) / STATE_DIR / LEDGER_NAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            con.execute("PRAGMA busy_timeout=30000")
            con.execute("PRAGMA synchronous=FULL")  # a commit survives power loss, not only kill -9
            yield con
        finally:
            con.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    # ---- reading -------------------------------------------------------------------

    def get(self, request_hash: str) -> Row | None:
        with self._connect() as con:
            cur = con.execute("SELECT * FROM paid_requests WHERE request_hash=?", (request_hash,))
            found = cur.fetchone()
            return _row(cur, found) if found else None

    def rows(self, *, status: Status | None = None, shot_id: str | None = None) -> list[Row]:
        sql, args = "SELECT * FROM paid_requests WHERE 1=1", []
        if status is not None:
            sql, args = sql + " AND status=?", args + [status.value]
        if shot_id is not None:
            sql, args = sql + " AND shot_id=?", args + [shot_id]
        with self._connect() as con:
            cur = con.execute(sql + " ORDER BY created_at", args)
            return [_row(cur, r) for r in cur.fetchall()]

    def submissions(self, request_hash: str | None = None) -> list[tuple[str, int, str | None, float, str]]:
        sql = "SELECT request_hash, attempt, job_id, sent_at, note FROM submissions"
        with self._connect() as con:
            if request_hash:
                return con.execute(sql + " WHERE request_hash=? ORDER BY id", (request_hash,)).fetchall()
            return con.execute(sql + " ORDER BY id").fetchall()

    # ---- writing (each call is one committed transaction) --------------------------

    def record(self, request_hash: str, *, provider: str, model: str, capability: str,
               shot_id: str, estimated: Money) -> Row:
        """Record a request as pending BEFORE it is sent, claimed by this process. A failed
        row starts a new attempt; a row another live process has in flight raises
        ClaimedElsewhere; one whose claimant died is taken over as it is (no new attempt)."""
        now = time.time()
        with self._write() as con:
            cur = con.execute("SELECT * FROM paid_requests WHERE request_hash=?", (request_hash,))
            found = cur.fetchone()
            if found is None:
                con.execute(
                    "INSERT INTO paid_requests (request_hash, provider, model, capability, "
                    "shot_id, status, estimated_cost, currency, created_at, updated_at, attempts,"
                    " claim_pid, claim_host, claim_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?,?)",
                    (request_hash, provider, model, capability, shot_id, Status.PENDING.value,
                     estimated.amount, estimated.currency, now, now, os.getpid(), _HOST, now),
                )
            elif _row(cur, found).status in IN_FLIGHT:
                self._take(con, _row(cur, found))
            else:
                old = _row(cur, found)
                con.execute(
                    "UPDATE paid_requests SET status=?, job_id=NULL, estimated_cost=?, "
                    "actual_cost=NULL, updated_at=?, attempts=attempts+1, spent_before=?, "
                    "shot_id=?, error=?, claim_pid=?, claim_host=?, claim_at=? "
                    "WHERE request_hash=?",
                    (Status.PENDING.value, estimated.amount, now,
                     old.spent_before + (old.actual_cost or 0.0), shot_id or old.shot_id,
                     f"new attempt after: {old.error}" if old.error else "", os.getpid(),
                     _HOST, now, request_hash),
                )
        return self.get(request_hash)  # type: ignore[return-value]

    def claim(self, request_hash: str) -> Row | None:
        """Claim an in-flight row for this process (to resend or poll it); the row as it is
        now. Raises ClaimedElsewhere while another live process holds it."""
        with self._write() as con:
            cur = con.execute("SELECT * FROM paid_requests WHERE request_hash=?", (request_hash,))
            found = cur.fetchone()
            if found is None:
                return None
            row = _row(cur, found)
            if row.status in IN_FLIGHT:
                self._take(con, row)
        return self.get(request_hash)

    def release(self, request_hash: str) -> None:
        """Drop this process's claim (the request stays as it is for a later run)."""
        with self._write() as con:
            con.execute("UPDATE paid_requests SET claim_pid=NULL, claim_host='', claim_at=NULL "
                        "WHERE request_hash=? AND claim_pid=? AND claim_host=?",
                        (request_hash, os.getpid(), _HOST))

    def renew(self, request_hash: str) -> None:
        """Renew this process's claim (its lease: see LEASE_S)."""
        with self._write() as con:
            con.execute("UPDATE paid_requests SET claim_at=? "
                        "WHERE request_hash=? AND claim_pid=? AND claim_host=?",
                        (time.time(), request_hash, os.getpid(), _HOST))

    @contextmanager
    def holding(self, request_hash: str, every: float = LEASE_S / 3) -> Iterator[None]:
        """Keep renewing this process's claim on `request_hash` while the block runs (a send
        or a poll can outlast a lease); a renewal that fails is tried again next time."""
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(every):
                try:
                    self.renew(request_hash)
                except Exception:  # the database was busy or away: the next beat retries
                    pass

        beat = threading.Thread(target=renew, name=f"ledger-lease-{request_hash[:8]}", daemon=True)
        beat.start()
        try:
            yield
        finally:
            stop.set()
            beat.join()

    @staticmethod
    def _take(con: sqlite3.Connection, row: "Row") -> None:
        mine = row.claim_pid == os.getpid() and row.claim_host in ("", _HOST)
        if not mine and _alive(row.claim_pid, row.claim_host, row.claim_at):
            raise ClaimedElsewhere(int(row.claim_pid or 0), row.claim_host)
        con.execute("UPDATE paid_requests SET claim_pid=?, claim_host=?, claim_at=? "
                    "WHERE request_hash=?", (os.getpid(), _HOST, time.time(), row.request_hash))

    def note_send(self, request_hash: str, note: str = "") -> None:
        """Log that the request is about to go out (after `record`, before the network)."""
        with self._write() as con:
            con.execute(
                "INSERT INTO submissions (request_hash, attempt, sent_at, note) SELECT ?, "
                "attempts, ?, ? FROM paid_requests WHERE request_hash=?",
                (request_hash, time.time(), note, request_hash))

    def set_job(self, request_hash: str, job_id: str) -> None:
        with self._write() as con:
            con.execute("UPDATE paid_requests SET status=?, job_id=?, updated_at=? "
                        "WHERE request_hash=?",
                        (Status.SUBMITTED.value, job_id, time.time(), request_hash))
            con.execute(
                "UPDATE submissions SET job_id=? WHERE id=(SELECT MAX(id) FROM submissions "
                "WHERE request_hash=?)", (job_id, request_hash))

    def mark_done(self, request_hash: str, *, actual: Money, result_path: Path,
                  result_json: str) -> None:
        with self._write() as con:
            con.execute(
                "UPDATE paid_requests SET status=?, actual_cost=?, result_path=?, result_json=?,"
                " error='', updated_at=?, claim_pid=NULL, claim_host='', claim_at=NULL"
                " WHERE request_hash=?",
                (Status.DONE.value, actual.amount, str(result_path), result_json, time.time(),
                 request_hash))

    def mark_failed(self, request_hash: str, error: str, *, actual: float = 0.0) -> None:
        self._end(request_hash, Status.FAILED, error, actual)

    def mark_refused(self, request_hash: str, error: str) -> None:
        self._end(request_hash, Status.REFUSED, error, 0.0)

    def _end(self, request_hash: str, status: Status, error: str, actual: float) -> None:
        with self._write() as con:
            con.execute("UPDATE paid_requests SET status=?, error=?, actual_cost=?, updated_at=?,"
                        " claim_pid=NULL, claim_host='', claim_at=NULL WHERE request_hash=?",
                        (status.value, redact_then_cut(error, 2000), actual, time.time(), request_hash))

    # ---- money ---------------------------------------------------------------------

    def _sum(self, rows: list[Row], currency: Currency) -> Money:
        total = Money(0.0, currency)
        for r in rows:
            total = total + Money(r.committed, r.currency)
        return total

    def committed(self, currency: Currency = "USD") -> Money:
        """Spent plus in flight (at estimate): what a budget guard must count."""
        return self._sum(self.rows(), currency)

    def total(self, currency: Currency = "USD") -> Money:
        """Actual spend: finished, failed and refused requests (what the provider billed)."""
        return self._sum([r for r in self.rows() if r.status not in IN_FLIGHT], currency)

    def spend_by_shot(self, currency: Currency = "USD") -> dict[str, Money]:
        out: dict[str, Money] = {}
        for r in self.rows():
            out[r.shot_id] = out.get(r.shot_id, Money(0.0, currency)) + Money(r.committed, r.currency)
        return out

    def spend_by_provider(self, currency: Currency = "USD") -> dict[str, Money]:
        out: dict[str, Money] = {}
        for r in self.rows():
            out[r.provider] = out.get(r.provider, Money(0.0, currency)) + Money(r.committed, r.currency)
        return out

    def duplicates(self) -> dict[str, int]:
        """Requests that got more than one provider job for the same attempt, with the count.

        Empty means nothing was paid twice. (A new attempt after a failure is a deliberate
        new job, not a duplicate; it shows in `attempts`.)
        """
        with self._connect() as con:
            found = con.execute(
                "SELECT request_hash, attempt, COUNT(DISTINCT job_id) FROM submissions "
                "WHERE job_id IS NOT NULL GROUP BY request_hash, attempt "
                "HAVING COUNT(DISTINCT job_id) > 1").fetchall()
        return {h: n for h, _a, n in found}


def open_ledger(project: Path, url: str = "") -> Ledger:
    """The film's ledger: PostgreSQL at `url` when one is given (a cluster), else its SQLite file."""
    return PgLedger(url, Path(project)) if url else Ledger.for_project(project)


_PG_SCHEMA = _SCHEMA.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY").replace(
    " REAL", " DOUBLE PRECISION")  # PostgreSQL's REAL is 4 bytes: times and money need 8
_PG_LOCK = 0x6D66_6C65  # "mfle": the advisory lock that serialises ledger writes


class _PgConnection:
    """A psycopg connection that takes the ledger's `?` placeholders."""

    def __init__(self, con):
        self.con = con

    def execute(self, sql: str, args: tuple | list = ()):
        return self.con.execute(sql.replace("?", "%s"), tuple(args))


class PgLedger(Ledger):
    """The ledger on PostgreSQL, shared by every node and driver of a cluster.

    Each film folder gets its own schema (named by a hash of its absolute path, which every
    node sees alike), so one database serves many films and each film's budget counts only
    its own requests. The URL may hold a password: it is never logged or put in an error.
    """

    def __init__(self, url: str, project: Path):
        try:
            import psycopg
        except ImportError:
            raise MicrofilmError('ledger_url needs psycopg: pip install "microfilm[postgres]"') from None
        self._psycopg = psycopg
        self.url = url
        self.path = Path(project)
        self.schema = "film_" + hashlib.sha256(str(self.path.resolve()).encode()).hexdigest()[:20]
        with self._write() as con:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {self.schema}")
            con.execute(f"SET LOCAL search_path TO {self.schema}")
            for statement in filter(str.strip, _PG_SCHEMA.split(";")):
                con.execute(statement)
            for name, decl in _CLAIM_COLUMNS.items():
                con.execute(f"ALTER TABLE paid_requests ADD COLUMN IF NOT EXISTS {name} "
                            f"{decl.replace('INTEGER', 'BIGINT').replace('REAL', 'DOUBLE PRECISION')}")

    @contextmanager
    def _connect(self) -> Iterator[_PgConnection]:  # type: ignore[override]
        try:
            con = self._psycopg.connect(self.url, autocommit=True, connect_timeout=30,
                                        options=f"-c search_path={self.schema}")
        except self._psycopg.OperationalError as exc:
            raise MicrofilmError(f"ledger_url: cannot reach the PostgreSQL ledger "
                                 f"({redact_url_error(exc, self.url)})") from None
        try:
            yield _PgConnection(con)
        finally:
            con.close()

    @contextmanager
    def _write(self) -> Iterator[_PgConnection]:  # type: ignore[override]
        with self._connect() as con:
            con.execute("BEGIN")
            try:
                con.execute(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise


def redact_url_error(exc: Exception, url: str) -> str:
    """The driver's message without the URL (it may carry a password)."""
    text = str(exc).replace(url, "<ledger_url>").strip().splitlines()
    return redact_then_cut(text[0] if text else type(exc).__name__, 300)


def _row(cur, values: tuple) -> Row:
    data = dict(zip([getattr(c, "name", None) or c[0] for c in cur.description], values))
    data["status"] = Status(data["status"])
    return Row(**data)
