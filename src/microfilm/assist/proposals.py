"""Proposals: a writer's suggested change, kept apart until a person accepts it.

A proposal is the whole proposed text of each file it changes, with the hash of the text it
was made against; it lives in `.microfilm/proposals/<id>.json` and touches nothing else.
Shown, it is a unified diff whose hunks are numbered across its files; accepted, all of it
or chosen hunks are written (atomically, checked to still read as Fountain and as a bible
first). A file that changed since the proposal was made is never patched blindly: the
person is told to ask again. What is written is the person's edit: the pipeline's record
of what it wrote no longer matches, so every re-run keeps it.
"""

from __future__ import annotations

import difflib
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from microfilm.errors import MicrofilmError, SpecError
from microfilm.fsutil import atomic_write_text, sha256_text
from microfilm.project import Project

CONTEXT_LINES = 3
EDITABLE = ("screenplay.fountain", "bible.yaml", "screenplay.en.fountain", "screenplay.zh.fountain")
"""The files a proposal may change."""


class Proposal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    request: str  # what the person asked, in their words or the built-in request's
    kind: str
    writer: str  # "house-writer", "openai-writer"...
    summary: str = ""
    created: float = 0.0
    base: dict[str, str | None]  # file -> sha256 of the text it was made against; None: absent
    files: dict[str, str]  # file -> the proposed whole text
    status: Literal["open", "accepted", "rejected"] = "open"
    accepted_hunks: list[int] = []


@dataclass(frozen=True)
class Hunk:
    number: int  # 1-based across the proposal's files
    file: str
    old_start: int  # 1-based
    old_count: int
    new_start: int
    new_count: int
    lines: tuple[str, ...]  # ' ', '-', '+' prefixed, no newline
    ops: tuple[tuple[str, int, int, int, int], ...]  # SequenceMatcher opcodes of this hunk

    @property
    def header(self) -> str:
        return (f"@@ -{self.old_start},{self.old_count} +{self.new_start},{self.new_count} @@ "
                f"hunk {self.number}")


class ProposalError(MicrofilmError):
    """A proposal that cannot be found, shown or accepted as asked."""


def _dir(project: Project) -> Path:
    return project.state / "proposals"


def _current(project: Project, name: str) -> str | None:
    path = project.root / name
    return path.read_text(encoding="utf-8") if path.exists() else None


def new(project: Project, *, request: str, kind: str, writer: str, files: dict[str, str],
        summary: str = "") -> Proposal:
    """A proposal for the files' new texts (unchanged files are dropped); not yet saved."""
    unknown = sorted(set(files) - set(EDITABLE))
    if unknown:
        raise ProposalError(f"a proposal may change {', '.join(EDITABLE)}, not {', '.join(unknown)}")
    base: dict[str, str | None] = {}
    changed: dict[str, str] = {}
    for name, text in files.items():
        old = _current(project, name)
        if old != text:
            base[name] = sha256_text(old) if old is not None else None
            changed[name] = text
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return Proposal(id=f"{stamp}-{secrets.token_hex(2)}", request=request, kind=kind,
                    writer=writer, summary=summary, created=round(time.time(), 3), base=base,
                    files=changed)


def save(project: Project, proposal: Proposal) -> Path:
    path = _dir(project) / f"{proposal.id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, proposal.model_dump_json(indent=1))
    return path


def load(project: Project, proposal_id: str) -> Proposal:
    if not proposal_id or "/" in proposal_id or "\\" in proposal_id or proposal_id.startswith("."):
        raise ProposalError(f"{proposal_id!r} is not a proposal id")
    path = _dir(project) / f"{proposal_id}.json"
    try:
        return Proposal.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        have = ", ".join(p.id for p in listed(project)) or "none"
        raise ProposalError(f"no proposal {proposal_id!r} in {_dir(project)} (open: {have})") from None


def listed(project: Project, status: str | None = "open") -> list[Proposal]:
    found = []
    for path in sorted(_dir(project).glob("*.json")) if _dir(project).exists() else []:
        try:
            p = Proposal.model_validate_json(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if status is None or p.status == status:
            found.append(p)
    return found


def _split(text: str | None) -> list[str]:
    return (text or "").splitlines()


def hunks(project: Project, proposal: Proposal) -> list[Hunk]:
    """The proposal's changes against the files as they are now, numbered from 1."""
    out: list[Hunk] = []
    for name, new_text in proposal.files.items():
        a, b = _split(_current(project, name)), _split(new_text)
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
            lines: list[str] = []
            for tag, i1, i2, j1, j2 in group:
                if tag == "equal":
                    lines += [" " + s for s in a[i1:i2]]
                    continue
                lines += ["-" + s for s in a[i1:i2]]
                lines += ["+" + s for s in b[j1:j2]]
            first, last = group[0], group[-1]
            out.append(Hunk(len(out) + 1, name, first[1] + 1, last[2] - first[1], first[3] + 1,
                            last[4] - first[3], tuple(lines), tuple(group)))
    return out


def unified_diff(project: Project, proposal: Proposal) -> str:
    """The proposal as a unified diff (`git apply` reads it), hunks numbered in headers."""
    parts: list[str] = []
    shown = None
    for h in hunks(project, proposal):
        if h.file != shown:
            existed = proposal.base.get(h.file) is not None
            parts += [f"--- {'a/' + h.file if existed else '/dev/null'}", f"+++ b/{h.file}"]
            shown = h.file
        parts.append(h.header)
        parts += list(h.lines)
    return "\n".join(parts) + ("\n" if parts else "")


def _stale(project: Project, proposal: Proposal) -> list[str]:
    stale = []
    for name, digest in proposal.base.items():
        now = _current(project, name)
        if (sha256_text(now) if now is not None else None) != digest:
            stale.append(name)
    return stale


def _apply(old: str | None, new_text: str, chosen: set[int], numbers: dict[int, int]) -> str:
    """`old` with the chosen hunks of old -> new applied (others left as they were)."""
    a, b = _split(old), _split(new_text)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    every = list(matcher.get_opcodes())  # copied: get_grouped_opcodes trims the cached list
    keep_ops = {op for k, group in enumerate(matcher.get_grouped_opcodes(CONTEXT_LINES))
                if numbers[k] in chosen for op in group}
    out: list[str] = []
    for op in every:
        tag, i1, i2, j1, j2 = op
        out += b[j1:j2] if (tag != "equal" and op in keep_ops) else a[i1:i2]
    ending = "\n" if (new_text.endswith("\n") or (old or "").endswith("\n")) else ""
    return "\n".join(out) + (ending if out else "")


def _validate(project: Project, name: str, text: str) -> None:
    from microfilm.spec import fountain
    from microfilm.spec.bible import Bible

    where = f"{project.root / name} (as proposed)"
    if name.endswith(".fountain"):
        fountain.parse(text, source=where)
    elif name == "bible.yaml":
        import yaml

        try:
            Bible.model_validate(yaml.safe_load(text) or {})
        except (yaml.YAMLError, ValueError) as exc:
            raise SpecError(f"{where}: not a valid bible: {exc}") from None


def accept(project: Project, proposal_id: str, chosen: list[int] | None = None) -> list[str]:
    """Write the proposal (or its `chosen` hunks); returns the files written."""
    proposal = load(project, proposal_id)
    if proposal.status != "open":
        raise ProposalError(f"proposal {proposal_id} was already {proposal.status}")
    stale = _stale(project, proposal)
    if stale:
        raise ProposalError(f"{', '.join(stale)} changed since proposal {proposal_id} was made; "
                            "nothing was written. Ask for the change again.")
    all_hunks = hunks(project, proposal)
    numbers = {h.number for h in all_hunks}
    wanted = set(numbers if chosen is None else chosen)
    if unknown := sorted(wanted - numbers):
        raise ProposalError(f"proposal {proposal_id} has hunks 1-{len(all_hunks)}, "
                            f"not {', '.join(map(str, unknown))}")
    texts: dict[str, str] = {}
    for name, new_text in proposal.files.items():
        mine = [h for h in all_hunks if h.file == name]
        if not any(h.number in wanted for h in mine):
            continue
        local = {k: h.number for k, h in enumerate(mine)}
        text = _apply(_current(project, name), new_text, wanted, local)
        _validate(project, name, text)
        texts[name] = text
    for name, text in texts.items():  # every file checked before any is written
        atomic_write_text(project.root / name, text)
    proposal.status = "accepted"
    proposal.accepted_hunks = sorted(wanted)
    save(project, proposal)
    return list(texts)


def reject(project: Project, proposal_id: str) -> None:
    proposal = load(project, proposal_id)
    proposal.status = "rejected"
    save(project, proposal)


def as_json(project: Project, proposal: Proposal) -> dict:
    """The proposal with its numbered hunks, for the studio and `--json`."""
    return {**json.loads(proposal.model_dump_json()),
            "hunks": [{"number": h.number, "file": h.file, "header": h.header,
                       "lines": list(h.lines)} for h in hunks(project, proposal)]}
