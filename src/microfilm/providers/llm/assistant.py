"""The LLM script doctor: one structured call per request, over the film's writer transport.

It is given the whole screenplay for context and the lines it may change, and answers with
the Fountain that replaces those lines (or three alternatives for one line, or a whole
translation). Its answer is checked before anyone sees it: the result must still read as
Fountain, and a translation must keep the scenes and the speeches one for one (that is what
lines the subtitles up); a reply that fails goes back to the model with the problem
(`structured.generate`), and a refusal, a broken reply or a timeout ends in a clear error
with nothing written.
"""

from __future__ import annotations

from typing import Any, Callable, Literal

from pydantic import BaseModel, Field

from microfilm.errors import ProviderError, SpecError
from microfilm.providers.llm.structured import ChatBackend, generate
from microfilm.spec import fountain
from microfilm.spec.screenplay import Dialogue

LANGUAGE = {"en": "English", "zh": "Simplified Chinese"}

SYSTEM = (
    "You are a script doctor for a micro film (a complete short film for phones, at most ten "
    "minutes). You revise screenplays written in Fountain: scene headings like 'INT. KITCHEN - "
    "NIGHT' or '.内景 厨房 - 夜', character cues on their own line (force a Chinese name with "
    "'@'), dialogue under the cue, parentheticals in brackets, transitions ending in 'TO:'. "
    "Keep the writer's voice, names and formatting; change only what the request asks. "
    "Reply with JSON only."
)


class Rewrite(BaseModel):
    """The Fountain text that replaces the given lines, and one sentence on what changed."""

    text: str = Field(description="Fountain replacing exactly the given lines")
    summary: str = Field(default="", description="one sentence: what changed and why")


class Alternatives(BaseModel):
    """Three different ways to say one line."""

    alternatives: list[str] = Field(min_length=3, max_length=3)
    summary: str = ""


class Translation(BaseModel):
    """The whole screenplay in the other language, same structure."""

    text: str = Field(description="the whole screenplay in Fountain, translated")
    summary: str = ""


class CastLook(BaseModel):
    """How one character of the script looks and sounds."""

    name: str = Field(description="exactly as in the character cue")
    gender: Literal["female", "male", "neutral"]
    age: int = Field(ge=3, le=100)
    look: str = Field(description="face, hair, build: the words every shot prompt reuses")
    wardrobe: str = Field(description="what they wear in this film")


class Casting(BaseModel):
    """The look, wardrobe and voice of every speaking character."""

    characters: list[CastLook]


def cast(backend: ChatBackend, *, script_text: str, names: list[str], language: str) -> Casting:
    """Looks, wardrobes, ages and genders for a person's own script, read from the script."""
    prompt = (f"Task: casting\nFor each of these characters of the screenplay below: "
              f"{', '.join(names)}, give gender, age, a concrete look (face, hair, build) and "
              f"wardrobe true to the script, in {LANGUAGE[language]}, one short phrase each.\n"
              f"<<<\n{script_text}\n>>>\n"
              'Reply {"characters": [{"name", "gender", "age", "look", "wardrobe"}, ...]}.')

    def problems(value: Casting) -> list[str]:
        got = {c.name.casefold() for c in value.characters}
        return [f"no entry for {n!r}; give one for every name" for n in names if n.casefold() not in got]

    return _ask(backend, Casting, "casting", prompt, problems)


def backend_for(writer_id: str) -> ChatBackend | None:
    """The film's writer's transport when it is a language model; None for the house
    writer. A configured LLM writer that is not usable says what is missing."""
    from microfilm.providers import registry

    if writer_id == "house-writer":
        return None
    writer = registry.get(writer_id, "writer")
    return getattr(writer, "backend", None)


def _ask(backend: ChatBackend, model: type[BaseModel], name: str, prompt: str,
         validate: Callable[[Any], list[str]] | None = None) -> Any:
    return generate(backend, model, name=name, system=SYSTEM, prompt=prompt, attempts=2,
                    max_tokens=8192, validate=validate).value


def _context(script_text: str, span: tuple[int, int], excerpt: str) -> str:
    return (f"The whole screenplay, for context:\n<<<\n{script_text}\n>>>\n\n"
            f"The lines you may change (lines {span[0]}-{span[1]}):\n<<<\n{excerpt}\n>>>\n")


def rewrite(backend: ChatBackend, *, instruction: str, script_text: str, span: tuple[int, int],
            excerpt: str, splice: Callable[[str], str], language: str) -> Rewrite:
    """Ask for the lines `span` rewritten per `instruction`; `splice` puts the answer back
    into the whole text so it can be checked as a screenplay."""
    def problems(value: Rewrite) -> list[str]:
        try:
            sp = fountain.parse(splice(value.text), source="the revised screenplay")
        except SpecError as exc:
            return [f"the result does not read as Fountain: {exc}"]
        return [] if sp.scenes else ["the result has no scene heading left"]

    prompt = (f"Task: rewrite\nRequest: {instruction}\nWrite in {LANGUAGE[language]}.\n"
              + _context(script_text, span, excerpt)
              + 'Reply {"text": "<the Fountain that replaces exactly those lines>", '
                '"summary": "<one sentence>"}.')
    return _ask(backend, Rewrite, "rewrite", prompt, problems)


def alternatives(backend: ChatBackend, *, script_text: str, span: tuple[int, int], excerpt: str,
                 character: str, line: str, language: str) -> Alternatives:
    prompt = (f"Task: alternatives\nGive three different ways {character} could say this line, "
              f"each true to the scene, in {LANGUAGE[language]}: {line}\n"
              + _context(script_text, span, excerpt)
              + 'Reply {"alternatives": ["...", "...", "..."], "summary": "<one sentence>"}; '
                "each alternative is only the words, no cue, no quotes.")

    def problems(value: Alternatives) -> list[str]:
        return [f"alternative {k + 1} is empty or repeats the line" for k, a in
                enumerate(value.alternatives) if not a.strip() or a.strip() == line.strip()]

    return _ask(backend, Alternatives, "alternatives", prompt, problems)


def _shape(text: str) -> tuple[int, list[int]]:
    sp = fountain.parse(text)
    return len(sp.scenes), [sum(isinstance(e, Dialogue) for e in s.elements) for s in sp.scenes]


def translate(backend: ChatBackend, *, script_text: str, source: str, target: str) -> Translation:
    """The whole screenplay translated; scenes and speeches stay one for one."""
    want = _shape(script_text)

    def problems(value: Translation) -> list[str]:
        try:
            got = _shape(value.text)
        except SpecError as exc:
            return [f"the translation does not read as Fountain: {exc}"]
        if got != want:
            return [f"the translation has {got[0]} scenes with {got[1]} speeches each; the "
                    f"original has {want[0]} scenes with {want[1]}: keep every scene heading "
                    "and every speech, one for one, in order"]
        return []

    prompt = (f"Task: translate\nTranslate this screenplay from {LANGUAGE[source]} to "
              f"{LANGUAGE[target]}. Keep its structure exactly: the same scene headings (translated), "
              "every action paragraph, every speech by the same character in the same order, the "
              "title page keys in English with translated values. Character names may be "
              "transliterated. Keep the Fountain syntax.\n<<<\n"
              f"{script_text}\n>>>\n"
              'Reply {"text": "<the whole translated Fountain>", "summary": "<one sentence>"}.')
    return _ask(backend, Translation, "translate", prompt, problems)


def needs_llm_message(what: str, writer_id: str) -> ProviderError:
    return ProviderError(
        f"'{what}' needs an LLM writer; this film's writer is {writer_id}, which works offline "
        "and can only fit to duration, fix what check finds and place the brand's must-say "
        "lines. To configure one, set writer = \"openai-writer\" (or \"anthropic-writer\") in "
        "the providers table of film.toml, and in the environment MICROFILM_LLM_API_KEY (or "
        "OPENAI_API_KEY, DEEPSEEK_API_KEY...; ANTHROPIC_API_KEY for Anthropic), or run a local "
        "model with MICROFILM_LLM_BASE_URL=http://localhost:11434/v1 MICROFILM_LLM_MODEL=qwen3:8b "
        "(Ollama, no key). `microfilm providers` shows what each writer is missing.")
