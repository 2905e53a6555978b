"""Canonical-JSON keys, a content-addressed asset store, and the record of written files.

An asset's key is the sha256 of the canonical JSON of every input that shapes it plus the
provider's id, model and version. If a file for the key exists, the work is not redone.
Assets are published by atomic rename, so a killed run leaves either nothing or a whole file.

The store may live on a folder every node of a cluster sees (microfilm.executor on Ray): each
writer makes its own temporary file (named by host, process and a random part) and renames
it over the final name, so two nodes making the same asset at once both publish a whole
file, one after the other, and a reader never sees half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel

from microfilm.fsutil import atomic_write_text, sha256_file, sha256_text

STATE_DIR = ".microfilm"


def _plain(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return _plain(obj.model_dump(mode="json"))
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, float):
        return round(obj, 6)
    if isinstance(obj, Path):
        return str(obj)
    return obj


def canonical_json(obj: Any) -> str:
    """JSON with sorted keys, no whitespace, floats rounded: equal inputs, equal text."""
    return json.dumps(_plain(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def cache_key(kind: str, inputs: Any, identity: dict[str, str] | None = None) -> str:
    payload = {"kind": kind, "inputs": inputs, "identity": identity or {}}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


@dataclass
class RunCounters:
    """What a run actually did, by kind of work: tests and `make` report read this."""

    made: dict[str, int] = field(default_factory=dict)
    reused: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, hit: bool) -> None:
        target = self.reused if hit else self.made
        target[kind] = target.get(kind, 0) + 1

    @property
    def total_made(self) -> int:
        return sum(self.made.values())


_HOST = socket.gethostname()


class Store:
    """Content-addressed assets under `.microfilm/assets/<kind>/<key><ext>`."""

    def __init__(self, project: Path, counters: RunCounters | None = None):
        self.root = Path(project) / STATE_DIR
        self.counters = counters or RunCounters()

    def path(self, kind: str, key: str, ext: str) -> Path:
        return self.root / "assets" / kind / key[:2] / f"{key}{ext}"

    def lookup(self, kind: str, key: str, ext: str) -> Path | None:
        p = self.path(kind, key, ext)
        return p if p.exists() and p.stat().st_size > 0 else None

    def produce(self, kind: str, key: str, ext: str, make: Callable[[Path], Any]) -> Path:
        """Return the asset for `key`, calling `make(tmp_path)` only when it is missing.

        `make` writes the asset to the temporary path it is given; it is published by an
        atomic rename only when `make` returns without error.
        """
        final = self.path(kind, key, ext)
        if final.exists() and final.stat().st_size > 0:
            self.counters.add(kind, hit=True)
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{key}.{_HOST}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp{ext}")
        try:
            make(tmp)
            if not tmp.exists() or tmp.stat().st_size == 0:
                raise RuntimeError(f"{kind} {key[:12]}: producer wrote nothing")
            with open(tmp, "rb") as fh:  # on a shared folder, the bytes land before the name
                os.fsync(fh.fileno())
            os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        self.counters.add(kind, hit=False)
        self.log({"event": "made", "kind": kind, "key": key})
        return final

    def log(self, record: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        record = {"t": round(time.time(), 3), **record}
        with open(self.root / "run.log.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


class WrittenFiles:
    """Remembers, per project file the pipeline writes, the inputs and the text it wrote.

    That is how a stage tells a hand edit (the file differs from what we wrote) from a stale
    file (the inputs changed), and refuses to overwrite the first.
    """

    def __init__(self, project: Path):
        self.project = Path(project)
        self.path = self.project / STATE_DIR / "written.json"

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def record(self, name: str, inputs_key: str, text: str) -> None:
        data = self._load()
        data[name] = {"inputs": inputs_key, "written": sha256_text(text)}
        atomic_write_text(self.path, json.dumps(data, indent=1, sort_keys=True))

    def record_inputs(self, name: str, inputs_key: str) -> None:
        """Accept a hand edit against new inputs: the file stays marked as the user's."""
        data = self._load()
        data[name] = {"inputs": inputs_key, "written": data.get(name, {}).get("written", "")}
        atomic_write_text(self.path, json.dumps(data, indent=1, sort_keys=True))

    def entry(self, name: str) -> dict[str, str] | None:
        return self._load().get(name)

    def edited_by_hand(self, name: str) -> bool:
        """True if the file exists and is not what the pipeline last wrote."""
        entry = self.entry(name)
        target = self.project / name
        if not target.exists():
            return False
        if entry is None:
            return True  # a file the pipeline never wrote: the user's own
        return sha256_file(target) != entry["written"]
