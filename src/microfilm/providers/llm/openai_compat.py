"""The OpenAI-compatible writer: OpenAI, DeepSeek, Qwen (DashScope), Moonshot, Ollama, vLLM,
llama.cpp, chosen by base URL and model name, through the official `openai` SDK.

Settings come from the environment (names only are ever logged, never values):
  MICROFILM_LLM_BASE_URL   server, e.g. https://api.deepseek.com, http://localhost:11434/v1
  MICROFILM_LLM_MODEL      model name; without a base URL it also picks the service
                           (deepseek-* -> DeepSeek, qwen* -> DashScope, kimi-*/moonshot-* -> Moonshot)
  MICROFILM_LLM_API_KEY    key for that server; else the service's own variable
                           (OPENAI_API_KEY, DEEPSEEK_API_KEY, DASHSCOPE_API_KEY, MOONSHOT_API_KEY)
  MICROFILM_LLM_JSON_MODE  json_schema | json_object | prompt (override the service's default)
  MICROFILM_LLM_TIMEOUT    seconds per request (default 180)
  MICROFILM_LLM_MAX_RETRIES  SDK retries on 429/5xx/timeouts, honouring Retry-After (default 3)
  MICROFILM_LLM_MAX_TOKENS   per reply (default 16000 on OpenAI, 8192 elsewhere)
Local servers (localhost, 127.0.0.1, *.local) need no key.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal, Mapping, Sequence
from urllib.parse import urlparse

from microfilm.errors import ProviderError
from microfilm.providers.base import Capabilities, Price, ProviderInfo
from microfilm.providers import keys
from microfilm.providers.llm.stepwise import LLMWriterBase
from microfilm.providers.llm.structured import (
    LLMTransportError,
    Message,
    OutputSpec,
    Reply,
)

log = logging.getLogger(__name__)

JsonMode = Literal["json_schema", "json_object", "prompt"]


@dataclass(frozen=True)
class Service:
    """What differs between OpenAI-compatible services."""

    name: str
    base_url: str
    key_env: str  # "" for local servers
    default_model: str
    json_mode: JsonMode
    strict: bool = False  # json_schema strict (OpenAI)
    token_param: str = "max_tokens"
    max_tokens: int = 8192  # per reply; reasoning models spend part of it thinking
    extra_body: Mapping[str, Any] = field(default_factory=dict)


SERVICES: dict[str, Service] = {
    "openai": Service("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "gpt-5.4-mini",
                      "json_schema", strict=True, token_param="max_completion_tokens",
                      max_tokens=16000),
    "deepseek": Service("deepseek", "https://api.deepseek.com", "DEEPSEEK_API_KEY",
                        "deepseek-chat", "json_object"),
    "dashscope": Service("dashscope", "https://dashscope.aliyuncs.com/compatible-mode/v1",
                         "DASHSCOPE_API_KEY", "qwen-plus", "json_object",
                         extra_body={"enable_thinking": False}),
    "moonshot": Service("moonshot", "https://api.moonshot.cn/v1", "MOONSHOT_API_KEY",
                        "kimi-k2.6", "json_object"),
    "ollama": Service("ollama", "http://localhost:11434/v1", "", "qwen3:8b", "json_schema"),
    "local": Service("local", "http://localhost:8000/v1", "", "local-model", "json_schema"),
}
"""Service defaults as read on 2026-11-25 from each vendor's JSON-output guide."""

SERVICES_READ_ON = date(2026, 11, 25)


def _is_local(host: str) -> bool:
    return host in ("localhost", "127.0.0.1", "::1", "0.0.0.0") or host.endswith(".local")


def service_for(base_url: str | None, model: str | None) -> Service:
    """Pick the service from the base URL's host, or from the model name without one."""
    if base_url:
        host = (urlparse(base_url).hostname or "").lower()
        port = urlparse(base_url).port
        if host.endswith("openai.com"):
            return SERVICES["openai"]
        if "deepseek" in host:
            return SERVICES["deepseek"]
        if "dashscope" in host or "aliyuncs" in host:
            return SERVICES["dashscope"]
        if "moonshot" in host or "kimi" in host:
            return SERVICES["moonshot"]
        if _is_local(host) and port == 11434:
            return SERVICES["ollama"]
        return SERVICES["local"]  # vLLM, llama.cpp, LM Studio, a proxy: json_schema, lenient
    m = (model or "").lower()
    if m.startswith("deepseek"):
        return SERVICES["deepseek"]
    if m.startswith("qwen"):
        return SERVICES["dashscope"]
    if m.startswith(("kimi", "moonshot")):
        return SERVICES["moonshot"]
    return SERVICES["openai"]


@dataclass(frozen=True)
class OpenAICompatConfig:
    service: Service
    base_url: str
    model: str
    api_key: str = field(default="", repr=False)
    key_env: str = ""  # the variable the key came from (for messages), never the value
    json_mode: JsonMode = "json_schema"
    timeout: float = 180.0
    max_retries: int = 3
    max_tokens: int = 4096
    attempts: int = 3

    @property
    def local(self) -> bool:
        return _is_local((urlparse(self.base_url).hostname or "").lower())

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "OpenAICompatConfig":
        env = os.environ if env is None else env
        base = env.get("MICROFILM_LLM_BASE_URL") or env.get("OPENAI_BASE_URL") or ""
        model = env.get("MICROFILM_LLM_MODEL") or ""
        service = service_for(base or None, model or None)
        base = base or service.base_url
        key, key_env = "", ""
        for name in ("MICROFILM_LLM_API_KEY", service.key_env):
            if name and env.get(name):
                key, key_env = env[name], name
                break
        mode = env.get("MICROFILM_LLM_JSON_MODE") or service.json_mode
        if mode not in ("json_schema", "json_object", "prompt"):
            raise ProviderError(f"MICROFILM_LLM_JSON_MODE={mode!r}: allowed values are "
                                "json_schema, json_object, prompt")
        return cls(service=service, base_url=base.rstrip("/"), model=model or service.default_model,
                   api_key=key, key_env=key_env, json_mode=mode,  # type: ignore[arg-type]
                   timeout=_num(env, "MICROFILM_LLM_TIMEOUT", 180.0),
                   max_retries=int(_num(env, "MICROFILM_LLM_MAX_RETRIES", 3)),
                   max_tokens=int(_num(env, "MICROFILM_LLM_MAX_TOKENS", service.max_tokens)))

    def missing(self) -> list[str]:
        if self.api_key or self.local:
            return []
        wanted = self.service.key_env or "MICROFILM_LLM_API_KEY"
        return [f"set {wanted} (or MICROFILM_LLM_API_KEY) for {self.base_url}"]


def _num(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ProviderError(f"{name}={raw!r} is not a number") from None


class OpenAIChat:
    """ChatBackend over /chat/completions with the right JSON mode for the service."""

    def __init__(self, config: OpenAICompatConfig, client: Any = None):
        self.config = config
        self.label = f"{config.model} at {config.base_url}"
        if client is None:
            try:
                import openai
            except ImportError:
                raise ProviderError("openai-writer: install microfilm[openai]") from None
            client = openai.OpenAI(
                api_key=config.api_key or "not-needed",  # local servers ignore it
                base_url=config.base_url, timeout=config.timeout, max_retries=config.max_retries,
            )
        self.client = client

    def _format(self, spec: OutputSpec) -> dict[str, Any] | None:
        mode = self.config.json_mode
        if mode == "json_schema":
            js: dict[str, Any] = {"name": spec.name, "schema": spec.schema}
            if self.config.service.strict:
                js["strict"] = True
            return {"type": "json_schema", "json_schema": js}
        if mode == "json_object":
            return {"type": "json_object"}
        return None

    def complete(self, messages: Sequence[Message], spec: OutputSpec, max_tokens: int) -> Reply:
        import openai

        kwargs: dict[str, Any] = {
            "model": self.config.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            self.config.service.token_param: max_tokens,
        }
        fmt = self._format(spec)
        if fmt is not None:
            kwargs["response_format"] = fmt
        if self.config.service.extra_body:
            kwargs["extra_body"] = dict(self.config.service.extra_body)
        try:
            completion = self.client.chat.completions.create(**kwargs)
        except openai.AuthenticationError:
            raise LLMTransportError(
                f"{self.label}: the key was rejected; check {self.config.key_env or 'the API key variable'}",
                transient=False) from None
        except openai.RateLimitError as exc:
            raise LLMTransportError(
                f"{self.label}: still rate limited after {self.config.max_retries} retries "
                f"(HTTP 429); try again later. {_body_hint(exc)}") from None
        except openai.APITimeoutError:
            raise LLMTransportError(
                f"{self.label}: no answer within {self.config.timeout:g} s, "
                f"{self.config.max_retries} retries; raise MICROFILM_LLM_TIMEOUT") from None
        except openai.APIConnectionError as exc:
            raise LLMTransportError(f"{self.label}: cannot connect ({type(exc).__name__})") from None
        except openai.APIStatusError as exc:
            transient = exc.status_code >= 500 or exc.status_code in (408, 409)
            raise LLMTransportError(
                f"{self.label}: HTTP {exc.status_code}{' after retries' if transient else ''}. "
                f"{_body_hint(exc)}", transient=transient) from None
        if not completion.choices:
            return Reply(text="", finish="other")
        choice = completion.choices[0]
        msg = choice.message
        finish = {"stop": "stop", "length": "length", "content_filter": "filtered"}.get(
            choice.finish_reason or "stop", "other")
        usage = completion.usage
        return Reply(
            text=msg.content or "",
            finish=finish,  # type: ignore[arg-type]
            refusal=getattr(msg, "refusal", None) or "",
            input_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            output_tokens=getattr(usage, "completion_tokens", 0) or 0,
        )


def _body_hint(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return keys.redact_then_cut(err["message"], 200)  # mask before cutting
    return ""


class OpenAIWriter(LLMWriterBase):
    """Writes the film with any OpenAI-compatible chat model, step by step."""

    sdk_module: ClassVar[str] = "openai"
    extra: ClassVar[str] = "openai"
    config_cls: ClassVar[type] = OpenAICompatConfig

    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="openai-writer", capability="writer", model="gpt-5.4-mini", version="1",
        title="OpenAI-compatible writer (OpenAI, DeepSeek, Qwen, Moonshot, Ollama, vLLM, llama.cpp)",
        paid=True, price=Price(unit="1k_tokens", amount=0.0, currency="USD"),
        capabilities=Capabilities(languages=("en", "zh")), extra="openai",
        env_keys=("OPENAI_API_KEY", "MICROFILM_LLM_API_KEY", "MICROFILM_LLM_BASE_URL",
                  "MICROFILM_LLM_MODEL"),
        prices_read_on=None,
    )

    def __init__(self, config: OpenAICompatConfig | None = None, *, client: Any = None):
        self.config = config or OpenAICompatConfig.from_env()
        # the instance's info names the model really used, so cache keys follow it
        self.info = type(self).info.model_copy(update={
            "model": self.config.model,
            "paid": not self.config.local,
        })
        self.backend = OpenAIChat(self.config, client=client)
        self.last_usage = None
