"""The requests a person can make of the writer, and the one place that answers them.

`propose()` never writes the screenplay or the bible: it saves proposals (see
`microfilm.assist.proposals`) for a person to review and accept. The film's writer
(film.toml [providers] writer) does the work: a language model does every request; the
house writer, offline, does those with one right answer (fit, fix, brand) and says plainly,
for the others, that they need an LLM writer and how to configure one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from microfilm.assist import house, proposals
from microfilm.assist.proposals import Proposal
from microfilm.assist.script import Script, completed_bible
from microfilm.errors import MicrofilmError
from microfilm.project import Project
from microfilm.providers.llm import assistant

Kind = Literal["free", "fit", "punch-up", "alternatives", "tone", "fix", "brand", "translate"]
KINDS: dict[str, str] = {
    "free": "your own request, in your words",
    "fit": "fit the script to the brief's duration",
    "punch-up": "punch up the dialogue of a scene",
    "alternatives": "three alternatives for one line",
    "tone": "rewrite a scene in another tone",
    "fix": "fix what `microfilm check` found",
    "brand": "place the brief's brand ([brand] in film.toml)",
    "translate": "translate the whole screenplay between Chinese and English",
}
OFFLINE = ("fit", "fix", "brand")


class AssistRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Kind = "free"
    text: str = ""  # the person's words ("make the ending quieter")
    scene: int | None = None  # 1-based
    lines: tuple[int, int] | None = None  # 1-based, inclusive, in screenplay.fountain
    tone: str = ""

    @field_validator("lines", mode="before")
    @classmethod
    def _lines(cls, value: object) -> object:
        if isinstance(value, str):
            m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", value)
            if not m:
                raise ValueError(f"{value!r}: give lines as A-B, e.g. 12-20")
            a = int(m.group(1))
            return (a, int(m.group(2) or a))
        return value

    def describe(self) -> str:
        where = (f" (scene {self.scene})" if self.scene else "") + (
            f" (lines {self.lines[0]}-{self.lines[1]})" if self.lines else "")
        if self.kind == "free":
            return self.text + where
        extra = f": {self.tone}" if self.tone else (f": {self.text}" if self.text else "")
        return KINDS[self.kind] + extra + where


def _span(script: Script, request: AssistRequest) -> tuple[int, int]:
    if request.lines:
        return script.check_span(request.lines)
    if request.scene:
        return script.scene_span(request.scene)
    lines = script.lines
    return (1, len(lines) - (1 if len(lines) > 1 and not lines[-1] else 0))


def _instruction(script: Script, request: AssistRequest) -> str:
    b = script.brief
    if request.kind == "free":
        if not request.text.strip():
            raise MicrofilmError('say what you want changed, e.g. microfilm assist DIR "make the '
                                 'ending quieter"')
        return request.text
    if request.kind == "fit":
        return (f"Fit the script to {b.duration:.0f} seconds of screen time (dialogue at about "
                f"{'4 Chinese characters' if b.language == 'zh' else '2.5 words'} a second, "
                "3 seconds per action paragraph): cut or add beats, keep the story whole.")
    if request.kind == "punch-up":
        return "Punch up the dialogue: sharper, more specific, more subtext; same story beats."
    if request.kind == "tone":
        if not request.tone.strip():
            raise MicrofilmError("say which tone, e.g. --tone 'dry comedy' or --tone '悬疑'")
        return f"Rewrite this in another tone: {request.tone}. Keep what happens and who is there."
    if request.kind == "fix":
        from microfilm import checks

        found = checks.check(b, script.bible, script.screenplay, script.text)
        listed = "\n".join(f"- {f}" for f in found) or "- nothing"
        return f"Fix these problems that the script check found:\n{listed}"
    if request.kind == "brand":
        br = b.brand
        if not br:
            raise MicrofilmError("the brief has no brand; add a [brand] table to film.toml")
        return (f"Place the brand {br.name or br.product}"
                + (f" and its product {br.product}" if br.product and br.name else "")
                + f" naturally, at most {br.placements} time(s), never as an advert."
                + (f" These lines must be said as written: {'; '.join(br.must_say)}." if br.must_say else "")
                + (f" Never say: {'; '.join(br.must_not_say)}." if br.must_not_say else ""))
    return request.text


def _proposal(script: Script, request: AssistRequest, writer: str, text: str, summary: str,
              extra: dict[str, str] | None = None) -> Proposal:
    files = {"screenplay.fountain": text, **(extra or {})}
    if text != script.text and (bible := completed_bible(script, text)) is not None:
        files["bible.yaml"] = bible
    return proposals.new(script.project, request=request.describe(), kind=request.kind,
                         writer=writer, files=files, summary=summary)


def propose(path: str | Path, request: AssistRequest) -> tuple[list[Proposal], list[str]]:
    """Saved proposals for `request`, and what could not be done (in words)."""
    project = Project.at(path)
    script = Script.load(project)
    writer = script.brief.providers.writer
    backend = assistant.backend_for(writer)
    made: list[Proposal] = []
    left: list[str] = []
    if backend is None:
        if request.kind not in OFFLINE:
            raise assistant.needs_llm_message(KINDS[request.kind], writer)
        outcome = getattr(house, request.kind.replace("-", "_"))(script)
        left = outcome.left
        if outcome.files:
            text = outcome.files.get("screenplay.fountain", script.text)
            extra = {k: v for k, v in outcome.files.items() if k != "screenplay.fountain"}
            made.append(_proposal(script, request, writer, text, outcome.summary, extra))
        else:
            left.insert(0, outcome.summary)
    elif request.kind == "translate":
        target = "en" if script.brief.language == "zh" else "zh"
        out = assistant.translate(backend, script_text=script.text, source=script.brief.language,
                                  target=target)
        made.append(proposals.new(project, request=request.describe(), kind="translate",
                                  writer=writer, files={f"screenplay.{target}.fountain": out.text},
                                  summary=out.summary))
    elif request.kind == "alternatives":
        made += _alternatives(script, request, backend, writer)
    else:
        span = _span(script, request)
        out = assistant.rewrite(backend, instruction=_instruction(script, request),
                                script_text=script.text, span=span, excerpt=script.excerpt(span),
                                splice=lambda t: script.splice(span, t),
                                language=script.brief.language)
        made.append(_proposal(script, request, writer, script.splice(span, out.text), out.summary))
    made = [p for p in made if p.files]
    for p in made:
        proposals.save(project, p)
    return made, left


def _alternatives(script: Script, request: AssistRequest, backend, writer: str) -> list[Proposal]:
    """One proposal per alternative: the words of one speech (--lines N, the line of the
    words, or the first speech of --scene N) said three other ways."""
    span = _span(script, request)
    blocks = [b for b in script.blocks() if b.kind == "dialogue"
              and b.end >= span[0] and b.start < span[1]]
    if not blocks:
        raise MicrofilmError(f"{script.project.screenplay}: no dialogue in lines {span[0]}-"
                             f"{span[1]}; point --lines at the words of one speech")
    block = blocks[0]
    lines = script.lines
    # the words: the block's lines after the cue and any parenthetical
    words_at = [k for k in range(block.start + 1, block.end)
                if not re.fullmatch(r"\s*[(（].*[)）]\s*", lines[k])]
    if request.lines and request.lines[0] - 1 in words_at:
        words_at = [request.lines[0] - 1]
    first = words_at[0]
    speech = block.elements[0]
    out = assistant.alternatives(backend, script_text=script.text,
                                 span=(block.start + 1, block.end), excerpt=script.excerpt(
                                     (block.start + 1, block.end)),
                                 character=getattr(speech, "character", ""), line=lines[first],
                                 language=script.brief.language)
    made = []
    for k, alt in enumerate(out.alternatives, 1):
        text = script.splice((first + 1, first + 1), alt.strip())
        made.append(_proposal(script, request, writer, text,
                              f"alternative {k} of 3 for line {first + 1}: {alt.strip()}"))
    return made
