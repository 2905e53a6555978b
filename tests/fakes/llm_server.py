"""A fake LLM server on 127.0.0.1 speaking the OpenAI chat-completions API and the Anthropic
Messages API, scripted per test.

By default it answers like a tiny screenwriter: it reads the task ("Task: outline") and the
parameters (scene numbers, paragraph counts) from the prompt and returns valid JSON for it.
A test queues faults in front of that: broken JSON, a refusal, 429 with Retry-After, 500, a
reply that hangs past the client's timeout, a reply cut off at the token limit. Every request
is recorded (API, body, headers, time) so tests can assert what was retried and how.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


# ---- scripted replies -------------------------------------------------------------------


@dataclass(frozen=True)
class Valid:
    """Answer with the default screenwriter's valid JSON."""


@dataclass(frozen=True)
class Mangle:
    """The valid JSON text passed through `fn` (fences, trailing commas, full-width...)."""

    fn: Callable[[str], str]


@dataclass(frozen=True)
class Raw:
    text: str
    finish: str = "stop"  # "stop" | "length"


@dataclass(frozen=True)
class Truncated:
    """The valid JSON cut to `fraction` of its length, flagged as hitting the token limit."""

    fraction: float = 0.5


@dataclass(frozen=True)
class Refuse:
    reason: str = "I can't help with that."


@dataclass(frozen=True)
class Status:
    code: int
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "fake error"


@dataclass(frozen=True)
class Hang:
    """Sleep longer than the client waits, then answer validly (to a client long gone)."""

    seconds: float


Scripted = Valid | Mangle | Raw | Truncated | Refuse | Status | Hang


@dataclass
class Recorded:
    api: str  # "openai" | "anthropic"
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float
    answered: str  # the kind of scripted reply used

    @property
    def task(self) -> str:
        return task_of(user_texts(self.api, self.body))

    @property
    def last_user(self) -> str:
        texts = user_texts(self.api, self.body)
        return texts[-1] if texts else ""


def user_texts(api: str, body: dict[str, Any]) -> list[str]:
    out = []
    for m in body.get("messages", []):
        if m.get("role") != "user":
            continue
        c = m.get("content")
        if isinstance(c, list):
            c = "".join(part.get("text", "") for part in c if isinstance(part, dict))
        out.append(str(c))
    return out


def task_of(texts: list[str]) -> str:
    for t in reversed(texts):
        m = re.search(r"^Task: (\w+)", t, re.M)
        if m:
            return m.group(1)
    return ""


# ---- the default screenwriter -----------------------------------------------------------


def system_text(api: str, body: dict[str, Any]) -> str:
    if api == "anthropic":
        s = body.get("system", "")
        return s if isinstance(s, str) else "".join(p.get("text", "") for p in s)
    return "".join(str(m.get("content")) for m in body.get("messages", []) if m.get("role") == "system")


def screenwriter(texts: list[str], system: str = "") -> dict[str, Any]:
    """Valid JSON for whichever step the prompt asks for (parameters read from the prompt)."""
    first = texts[0] if texts else ""
    task = task_of(texts)
    zh = "Simplified Chinese" in system
    if task == "bible":
        return {
            "theme": "家人之间说不出口的爱" if zh else "love that a family never says aloud",
            "time": "2024年冬天，除夕前三天" if zh else "Winter 2024, three days before New Year",
            "logline": "女儿回家过年，发现母亲一直在隐瞒病情。" if zh
            else "A daughter comes home for New Year and finds her mother hiding an illness.",
            "characters": [
                {"id": "ann", "name": "安" if zh else "Ann", "role": "daughter", "age": 28,
                 "gender": "female", "look": "short black hair, round glasses, tired eyes",
                 "wardrobe": "red down jacket, grey scarf"},
                {"id": "mom", "name": "妈妈" if zh else "Mom", "role": "mother", "age": 61,
                 "gender": "female", "look": "silver bun, kind lined face",
                 "wardrobe": "blue apron over a wool cardigan"},
            ],
            "locations": [
                {"id": "kitchen", "name": "厨房" if zh else "Kitchen", "description": "small, warm",
                 "interior": True, "motifs": ["steam", "dumplings"]},
                {"id": "station", "name": "车站" if zh else "Bus Station", "description": "cold",
                 "interior": False, "motifs": ["snow", "timetable"]},
            ],
            "mood": "warm",
            "look": "soft window light, 35mm, gentle grain",
        }
    if task == "research":
        return {
            "brand_integration": ["品牌作为年夜饭的一道菜出现" if zh else "The brand's dumplings are the family's New Year dish"],
            "tone": ["克制、温暖" if zh else "Restrained and warm"],
            "references": ["《三分钟》" if zh else "'Three Minutes' (Peter Chan)"],
            "risks": ["煽情过度" if zh else "Melodrama"],
            "hooks": ["蒸汽中的一双手" if zh else "Hands folding a dumpling in steam"],
        }
    if task == "outline":
        n = int(re.search(r"in about (\d+) scenes", first).group(1))
        beats = re.search(r"in order: (.*?) \(copy", first).group(1).split(", ")
        total = float(re.search(r"together they fill ([\d.]+) s", first).group(1))
        scenes = []
        for i in range(n):
            scenes.append({
                "number": i + 1, "beat": beats[min(i * len(beats) // n, len(beats) - 1)],
                "location": "kitchen" if i % 2 == 0 else "station",
                "time_of_day": ("夜" if zh else "NIGHT") if i % 2 else ("日" if zh else "DAY"),
                "characters": ["ann", "mom"],
                "summary": f"scene {i + 1}: something changes between them",
                "seconds": round(total / n, 1),
            })
        return {"scenes": scenes}
    numbers = [int(x) for x in re.search(r"^Scenes: ([\d, ]+)$", first, re.M).group(1).split(",")]
    if task == "scenes":
        counts = {int(a): int(b) for a, b in re.findall(r"scene (\d+): (\d+) action paragraph", first)}
        return {"scenes": [
            {"number": k, "action": [
                (f"第{k}场，第{j + 1}个画面：蒸汽升起。" if zh else f"Scene {k}, moment {j + 1}: steam rises.")
                for j in range(counts.get(k, 2))]}
            for k in numbers]}
    if task == "dialogue":
        # size each scene's lines to the budget the prompt asks for ("about 40 words")
        budgets = {int(a): int(b) for a, b in
                   re.findall(r"scene (\d+): about (\d+) (?:words|Chinese characters)", first)}
        en = ["Eat the dumplings while they are hot.", "Mom, why didn't you tell me?",
              "Because you would have come home sooner.", "I should have come home anyway."]
        cn = ["饺子要趁热吃。", "妈，你为什么不告诉我？", "告诉你，你就早回来了。", "我本来就该早点回家。"]
        scenes = []
        for k in numbers:
            lines, used, j = [], 0, 0
            while k in budgets:
                text = (cn if zh else en)[j % 4]
                cost = len(text) - 1 if zh else len(text.split())
                if j and used + cost > budgets[k]:
                    break
                used += cost
                lines.append({"after": min(j + 1, 2), "character": "mom" if j % 2 == 0 else "ann",
                              "parenthetical": ("轻声" if zh else "softly") if j == 2 else "",
                              "text": text})
                j += 1
            scenes.append({"number": k, "lines": lines})
        return {"scenes": scenes}
    return {"note": "unknown task"}


# ---- the server -------------------------------------------------------------------------


class FakeLLMServer:
    """`with FakeLLMServer() as srv:` then point a client at srv.openai_url / srv.anthropic_url."""

    def __init__(self, responder: Callable[[list[str], str], dict[str, Any]] = screenwriter):
        self.responder = responder
        self.queue: list[Scripted] = []
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # scripting
    def script(self, *items: Scripted) -> "FakeLLMServer":
        with self._lock:
            self.queue.extend(items)
        return self

    def _next(self) -> Scripted:
        with self._lock:
            return self.queue.pop(0) if self.queue else Valid()

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return self._httpd.server_address[1]

    @property
    def openai_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def anthropic_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tasks(self) -> list[str]:
        return [r.task for r in self.requests]

    def __enter__(self) -> "FakeLLMServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path.endswith("/chat/completions"):
                    api = "openai"
                elif self.path.endswith("/v1/messages"):
                    api = "anthropic"
                else:
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                item = server._next()
                server.requests.append(Recorded(api, self.path, body,
                                                {k.lower(): v for k, v in self.headers.items()},
                                                time.monotonic(), type(item).__name__))
                server._answer(self, api, body, item)

            def _send(self, code: int, payload: dict[str, Any],
                      headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()

    # answering
    def _answer(self, handler: Any, api: str, body: dict[str, Any], item: Scripted) -> None:
        if isinstance(item, Status):
            err = ({"error": {"message": item.message, "type": "fake"}} if api == "openai" else
                   {"type": "error", "error": {"type": "fake_error", "message": item.message}})
            handler._send(item.code, err, item.headers)
            return
        if isinstance(item, Hang):
            time.sleep(item.seconds)
        texts = user_texts(api, body)
        valid = json.dumps(self.responder(texts, system_text(api, body)), ensure_ascii=False)
        finish, refusal = "stop", ""
        if isinstance(item, Mangle):
            text = item.fn(valid)
        elif isinstance(item, Raw):
            text, finish = item.text, item.finish
        elif isinstance(item, Truncated):
            text, finish = valid[: int(len(valid) * item.fraction)], "length"
        elif isinstance(item, Refuse):
            text, finish, refusal = "", "refusal", item.reason
        else:
            text = valid
        if api == "openai":
            handler._send(200, self._openai(body, text, finish, refusal))
        else:
            handler._send(200, self._anthropic(body, text, finish, refusal))

    @staticmethod
    def _openai(body: dict[str, Any], text: str, finish: str, refusal: str) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": text or None}
        if refusal:
            message["refusal"] = refusal
            finish = "stop"
        return {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish,
                         "logprobs": None}],
            "usage": {"prompt_tokens": 100, "completion_tokens": max(1, len(text) // 4),
                      "total_tokens": 100 + max(1, len(text) // 4)},
        }

    @staticmethod
    def _anthropic(body: dict[str, Any], text: str, finish: str, refusal: str) -> dict[str, Any]:
        stop = {"stop": "end_turn", "length": "max_tokens", "refusal": "refusal"}[finish]
        if refusal:
            content: list[dict[str, Any]] = [{"type": "text", "text": refusal}]
        elif body.get("tools") and finish == "stop":
            try:
                data = json.loads(text)
            except json.JSONDecodeError:
                content = [{"type": "text", "text": text}]
            else:
                content = [{"type": "tool_use", "id": "toolu_fake", "name": body["tools"][0]["name"],
                            "input": data}]
                stop = "tool_use"
        else:
            content = [{"type": "text", "text": text}]
        return {
            "id": "msg_fake", "type": "message", "role": "assistant",
            "model": body.get("model", "fake"), "content": content, "stop_reason": stop,
            "stop_sequence": None,
            "usage": {"input_tokens": 100, "output_tokens": max(1, len(text) // 4)},
        }
