"""Schema-validated JSON from a language model, with repair and bounded retries.

Models break JSON in predictable ways: code fences, a sentence before the object, trailing
commas, Chinese full-width punctuation (，：“”) used as JSON syntax, unescaped quotes inside
dialogue, and replies cut off at the token limit. `repair_json` fixes what can be fixed
without guessing content; everything else goes back to the model with the exact
validation errors, at most `attempts` times. A failure raises `StructuredOutputError` with
every attempt's problem, so the caller can say precisely what went wrong and keep what
earlier steps already produced.

Transports (OpenAI-compatible, Anthropic) implement the small `ChatBackend` protocol; this
module knows nothing about either SDK.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Literal, Protocol, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

from microfilm.errors import ProviderError
from microfilm.providers import writer_meter  # models12c: each call through the ledger and budget

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

Finish = Literal["stop", "length", "refusal", "filtered", "other"]


# ---- the transport contract -------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class OutputSpec:
    """What a reply must be: a name the transports pass on, and the JSON schema."""

    name: str  # [a-zA-Z0-9_-], e.g. "outline"
    schema: dict[str, Any]
    description: str = ""


@dataclass(frozen=True)
class Reply:
    """One model reply as text, with why it ended (normalised across APIs)."""

    text: str
    finish: Finish = "stop"
    refusal: str = ""
    input_tokens: int = 0
    output_tokens: int = 0


class ChatBackend(Protocol):
    """A transport: sends messages, returns the reply text. Raises LLMTransportError."""

    label: str  # "gpt-5.4-mini at https://api.openai.com/v1": never a key

    def complete(self, messages: Sequence[Message], spec: OutputSpec, max_tokens: int) -> Reply:
        ...


class LLMTransportError(ProviderError):
    """The service could not be reached or kept failing (after the SDK's own retries)."""

    def __init__(self, message: str, *, transient: bool = True):
        super().__init__(message)
        self.transient = transient


class LLMRefusal(ProviderError):
    """The model declined to write this; asking again with the same brief rarely helps."""


@dataclass(frozen=True)
class Attempt:
    number: int
    problem: str
    excerpt: str  # the start of the reply, for the error message and the log
    repairs: tuple[str, ...] = ()


class StructuredOutputError(ProviderError):
    """No valid reply after the allowed attempts; `attempts` says what each one got wrong."""

    def __init__(self, name: str, label: str, attempts: Sequence[Attempt]):
        self.name = name
        self.attempts = tuple(attempts)
        last = self.attempts[-1].problem if self.attempts else "no reply"
        lines = [
            f"{label}: no valid {name} after {len(self.attempts)} attempt(s); last problem: "
            + _first_lines(last, 6)
        ]
        for a in self.attempts[:-1]:
            lines.append(f"  attempt {a.number}: {_first_lines(a.problem, 2)}")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Usage:
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(
            self.calls + other.calls,
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
        )


@dataclass(frozen=True)
class Structured(Generic[M]):
    value: M
    attempts: int
    repairs: tuple[str, ...] = ()
    usage: Usage = field(default_factory=Usage)


# ---- JSON repair ------------------------------------------------------------------------


class JSONRepairError(ValueError):
    pass


_FULLWIDTH = {"｛": "{", "｝": "}", "［": "[", "］": "]", "，": ",", "：": ":", "\u3000": " "}
_OPEN_QUOTES = {'"': '"', "“": "”", "”": "”", "'": "'", "「": "」"}
_STRUCTURAL = set(',:}]')
_FULLWIDTH_STRUCTURAL = set("，：｝］")
_VALID_ESCAPES = set('"\\/bfnrtu')


def _strip_fences(text: str) -> tuple[str, list[str]]:
    notes = []
    if "```" in text:
        start = text.index("```")
        after = text[start + 3:]
        nl = after.find("\n")
        # the info string (json, JSON, jsonc) runs to the end of the fence line
        if nl != -1 and after[:nl].strip().isalnum():
            after = after[nl + 1:]
        end = after.find("```")
        text = after if end == -1 else after[:end]
        notes.append("removed a ``` code fence")
    return text, notes


def _next_significant(text: str, i: int) -> tuple[str, int]:
    n = len(text)
    while i < n and text[i] in " \t\r\n\u3000":
        i += 1
    return (text[i], i) if i < n else ("", n)


def _closes_string(text: str, i: int, closer: str) -> bool:
    """Is the quote at `i` the end of the string (not a quote inside dialogue)?"""
    nxt, j = _next_significant(text, i + 1)
    if nxt == "" or nxt in _STRUCTURAL:
        return True
    if nxt in _FULLWIDTH_STRUCTURAL:
        after, _ = _next_significant(text, j + 1)
        return after in ('"', "“", "{", "[", "}", "]", "") or after.isdigit()
    return False


def repair_json(text: str) -> tuple[str, list[str]]:
    """Return `text` as strict JSON plus notes on what was repaired.

    Fixes syntax only (fences, prose around the object, full-width punctuation outside
    strings, trailing or missing commas, single/curly quotes, raw newlines and stray quotes
    inside strings, Python literals, comments, a cut-off ending). Raises JSONRepairError
    when no object or array can be recovered.
    """
    notes: list[str] = []
    text = text.lstrip("\ufeff")
    text, fence_notes = _strip_fences(text)
    notes += fence_notes
    starts = [i for i in (text.find(c) for c in "{[｛［") if i != -1]
    if not starts:
        raise JSONRepairError("the reply contains no JSON object or array")
    start = min(starts)
    if text[:start].strip():
        notes.append("removed text before the JSON")
    text = text[start:]

    out: list[str] = []
    stack: list[str] = []
    i, n = 0, len(text)
    in_str = False
    closer = ""
    ended = False
    counts: dict[str, int] = {}

    def note(what: str) -> None:
        counts[what] = counts.get(what, 0) + 1

    def last_sig() -> str:
        for ch in reversed(out):
            if ch not in " \t\r\n":
                return ch
        return ""

    def need_comma() -> None:
        prev = last_sig()
        if stack and prev and prev not in "[{,:":
            out.append(",")
            note("inserted a missing comma")

    while i < n:
        ch = text[i]
        if in_str:
            if ch == "\\":
                nxt = text[i + 1] if i + 1 < n else ""
                if nxt in _VALID_ESCAPES and nxt:
                    out.append(ch + nxt)
                    i += 2
                    continue
                if nxt == "'":
                    out.append("'")
                    i += 2
                    continue
                out.append("\\\\")
                note("escaped a stray backslash")
                i += 1
                continue
            if ch == closer or (closer != "'" and ch == '"' and closer == "”"):
                if closer == '"' and not _closes_string(text, i, closer):
                    out.append('\\"')
                    note("escaped a quote inside a string")
                    i += 1
                    continue
                out.append('"')
                in_str = False
                i += 1
                continue
            if ch == '"':  # inside a string opened with another quote character
                out.append('\\"')
                i += 1
                continue
            if ch == "\n":
                out.append("\\n")
                note("escaped a raw line break inside a string")
            elif ch == "\t":
                out.append("\\t")
            elif ord(ch) < 0x20:
                out.append(f"\\u{ord(ch):04x}")
            else:
                out.append(ch)
            i += 1
            continue

        # outside strings
        if ch in _FULLWIDTH:
            note("replaced full-width punctuation used as JSON syntax")
            ch = _FULLWIDTH[ch]
        if ch in " \t\r\n":
            out.append(ch)
        elif ch in _OPEN_QUOTES:
            need_comma()
            if ch != '"':
                note("replaced non-ASCII or single quotes around a string")
            closer = _OPEN_QUOTES[ch]
            in_str = True
            out.append('"')
        elif ch in "{[":
            need_comma()
            stack.append("}" if ch == "{" else "]")
            out.append(ch)
        elif ch in "}]":
            # drop a trailing comma
            j = len(out) - 1
            while j >= 0 and out[j] in " \t\r\n":
                j -= 1
            if j >= 0 and out[j] == ",":
                del out[j]
                note("removed a trailing comma")
            if not stack:
                ended = True
                break
            expected = stack.pop()
            if ch != expected:
                note("fixed a mismatched bracket")
            out.append(expected)
            if not stack:
                ended = True
                i += 1
                break
        elif ch == ",":
            if last_sig() in "[{,":
                note("removed a doubled comma")
            else:
                out.append(",")
        elif ch == ":":
            out.append(":")
        elif ch == "/" and i + 1 < n and text[i + 1] in "/*":
            if text[i + 1] == "/":
                end = text.find("\n", i)
                i = n if end == -1 else end
            else:
                end = text.find("*/", i + 2)
                i = n if end == -1 else end + 2
            note("removed a comment")
            continue
        elif ch.isalnum() or ch in "-+.":
            j = i
            while j < n and (text[j].isalnum() or text[j] in "-+._"):
                j += 1
            word = text[i:j]
            mapped = {"True": "true", "False": "false", "None": "null", "NaN": "null",
                      "undefined": "null"}.get(word, word)
            if mapped != word:
                note("replaced a Python/JS literal")
            need_comma()
            if mapped in ("true", "false", "null") or _is_number(mapped):
                out.append(mapped)
            else:  # a bare word: treat it as an unquoted string
                out.append(json.dumps(mapped, ensure_ascii=False))
                note("quoted a bare word")
            i = j
            continue
        else:
            note(f"dropped a stray {ch!r}")
        i += 1

    if not ended:
        if in_str:
            out.append('"')
            notes.append("closed a string cut off at the end of the reply")
        if stack:
            notes.append(f"closed {len(stack)} bracket(s) left open by a cut-off reply")
        fixed = _close_truncated("".join(out), stack)
    else:
        fixed = "".join(out)
        rest = text[i:].strip()
        if rest:
            notes.append("removed text after the JSON")
    notes += [f"{what} (x{k})" if k > 1 else what for what, k in counts.items()]
    return fixed, notes


def _is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return word.lower() not in ("inf", "infinity", "nan")


def _close_truncated(body: str, stack: list[str]) -> str:
    """Close a cut-off document, dropping a dangling key or comma if that is what parses."""
    closing = "".join(reversed(stack))
    candidates = [body.rstrip().rstrip(",") + closing]
    stripped = body.rstrip().rstrip(",")
    if stripped.endswith(":"):
        candidates.append(stripped + " null" + closing)
    # drop an incomplete last member: `, "key"` or `, "key":` or a half-written value
    for cut in (stripped.rfind(","), max(stripped.rfind("{"), stripped.rfind("["))):
        if cut != -1:
            head = stripped[:cut + 1] if stripped[cut] in "{[" else stripped[:cut]
            # recompute what must close after the cut
            candidates.append(head + _closers_for(head))
    for cand in candidates:
        try:
            json.loads(cand)
        except json.JSONDecodeError:
            continue
        return cand
    return candidates[0]


def _closers_for(head: str) -> str:
    stack: list[str] = []
    in_str = False
    esc = False
    for ch in head:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack:
            stack.pop()
    return "".join(reversed(stack))


_THINK = re.compile(r"<think>.*?</think>", re.S)


def parse_json(text: str) -> tuple[Any, list[str]]:
    """Parse strictly if possible, else repair; returns (data, repair notes)."""
    if not text or not text.strip():
        raise JSONRepairError("the reply was empty")
    try:
        return json.loads(text), []
    except json.JSONDecodeError:
        pass
    pre: list[str] = []
    if "<think>" in text:  # reasoning models served raw (Qwen3, DeepSeek-R1 on Ollama/vLLM)
        text = _THINK.sub("", text)
        if "<think>" in text:  # thinking that never closed: keep what follows the last brace run
            text = text.split("<think>", 1)[0]
        pre.append("removed the model's <think> block")
        if not text.strip():
            raise JSONRepairError("the reply held only the model's reasoning, no JSON")
    fixed, notes = repair_json(text)
    notes = pre + notes
    try:
        return json.loads(fixed), notes
    except json.JSONDecodeError as exc:
        raise JSONRepairError(
            f"not valid JSON even after repair ({exc.msg} at line {exc.lineno}, "
            f"column {exc.colno})"
        ) from None


# ---- schemas for the wire ---------------------------------------------------------------

_DROP_KEYS = {
    "title", "default", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "pattern", "minItems", "maxItems", "format", "examples",
    "uniqueItems", "multipleOf",
}


def wire_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the subset every structured-output API accepts.

    Constraint keywords (lengths, ranges, patterns) are dropped: strict modes reject many of
    them, and pydantic checks them on our side anyway, feeding violations back to the model.
    Every object is closed (`additionalProperties: false`) with all its properties required,
    which OpenAI's strict mode demands.
    """
    schema = copy.deepcopy(model.model_json_schema())

    def walk(node: Any, names: bool = False) -> None:
        if isinstance(node, list):
            for value in node:
                walk(value)
            return
        if not isinstance(node, dict):
            return
        if names:  # a `properties` or `$defs` mapping: its keys are names, not keywords
            for value in node.values():
                walk(value)
            return
        for key in [k for k in node if k in _DROP_KEYS]:
            del node[key]
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
            node["required"] = list(node["properties"])
        for key, value in node.items():
            walk(value, names=key in ("properties", "$defs"))

    walk(schema)
    return schema


# ---- the loop ---------------------------------------------------------------------------


def describe_validation(exc: ValidationError, limit: int = 12) -> str:
    lines = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        got = err.get("input")
        shown = ""
        if got is not None and not isinstance(got, (dict, list)):
            shown = f" (got {str(got)[:60]!r})"
        lines.append(f"- {where}: {err['msg']}{shown}")
    more = len(exc.errors()) - limit
    if more > 0:
        lines.append(f"- ... and {more} more")
    return "\n".join(lines)


def _first_lines(text: str, k: int) -> str:
    lines = text.strip().splitlines()
    return "\n".join(lines[:k]) + (" ..." if len(lines) > k else "")


def _excerpt(text: str, k: int = 160) -> str:
    flat = " ".join(text.split())
    return flat[:k] + ("..." if len(flat) > k else "")


def _reshape(data: Any, model: type[BaseModel], name: str) -> tuple[Any, list[str]]:
    """Undo the two shape slips models make: a bare list for a one-list object, and the
    object wrapped in a key named after the task ({"outline": {...}})."""
    fields = list(model.model_fields)
    if isinstance(data, list) and len(fields) == 1:
        return {fields[0]: data}, [f"wrapped a bare list as {{'{fields[0]}': [...]}}"]
    if isinstance(data, dict) and len(data) == 1:
        (key, inner), = data.items()
        if key not in fields and isinstance(inner, dict) and key.casefold() in (
                name.casefold(), model.__name__.casefold()):
            return inner, [f"unwrapped the object from '{key}'"]
    return data, []


def generate(
    backend: ChatBackend,
    model: type[M],
    *,
    name: str,
    system: str,
    prompt: str,
    attempts: int = 3,
    max_tokens: int = 4096,
    max_tokens_cap: int = 16384,
    validate: Callable[[M], list[str]] | None = None,
) -> Structured[M]:
    """Ask `backend` for one `model`, repairing or re-asking up to `attempts` times.

    `validate` adds checks the schema cannot express (scene numbers match the outline,
    speakers exist in the bible); its problems are fed back like schema errors.
    Raises LLMRefusal at once on a refusal, LLMTransportError when the service fails,
    StructuredOutputError when every attempt was unusable.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    spec = OutputSpec(name=name, schema=wire_schema(model), description=model.__doc__ or "")
    messages = [Message("system", system), Message("user", prompt)]
    tried: list[Attempt] = []
    usage = Usage()
    budget = max_tokens
    for number in range(1, attempts + 1):
        reply = writer_meter.metered(messages, budget, lambda: backend.complete(messages, spec, budget))
        usage = usage + Usage(1, reply.input_tokens, reply.output_tokens)
        if reply.finish in ("refusal", "filtered") or reply.refusal:
            why = reply.refusal or reply.text or "no reason given"
            raise LLMRefusal(f"{backend.label} declined to write the {name}: {_excerpt(why, 300)}")
        repairs: list[str] = []
        if reply.finish == "length":
            budget = min(max_tokens_cap, int(budget * 1.5))
            problem = (
                f"the reply was cut off at the token limit after {len(reply.text)} characters. "
                "Write the same JSON more concisely so that it is complete."
            )
        else:
            try:
                data, repairs = parse_json(reply.text)
            except JSONRepairError as exc:
                problem = f"the reply is not JSON: {exc}. Reply with only the JSON object."
            else:
                data, shaped = _reshape(data, model, name)
                repairs += shaped
                try:
                    value = model.model_validate(data)
                except ValidationError as exc:
                    problem = "the JSON does not match the schema:\n" + describe_validation(exc)
                else:
                    problems = validate(value) if validate else []
                    if not problems:
                        if repairs:
                            log.info("%s: repaired the %s: %s", backend.label, name,
                                     "; ".join(repairs))
                        return Structured(value, number, tuple(repairs), usage)
                    problem = "the JSON is well-formed but wrong:\n" + "\n".join(
                        f"- {p}" for p in problems[:12]
                    )
        tried.append(Attempt(number, problem, _excerpt(reply.text), tuple(repairs)))
        log.warning("%s: %s attempt %d/%d unusable: %s", backend.label, name, number, attempts,
                    _first_lines(problem, 1))
        messages = messages + [
            Message("assistant", reply.text[:8000] or "(empty)"),
            Message("user", f"Task: {name}\nYour previous reply was unusable: {problem}\n"
                            "Reply again with only the corrected JSON, no commentary."),
        ]
    raise StructuredOutputError(name, backend.label, tried)
