"""The Anthropic writer: Claude through the official `anthropic` SDK's Messages API.

JSON comes from structured outputs (`output_config.format`, a JSON schema) by default, or
from a forced tool call (`tools` + `tool_choice`) for endpoints that lack structured
outputs (Anthropic-compatible gateways); both are validated by our own schema anyway.

Environment (names only are ever logged):
  ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN)   the key
  MICROFILM_ANTHROPIC_MODEL                     default claude-sonnet-4-6
  MICROFILM_ANTHROPIC_BASE_URL / ANTHROPIC_BASE_URL   another endpoint
  MICROFILM_ANTHROPIC_JSON                      format | tool (default format)
  MICROFILM_LLM_TIMEOUT, MICROFILM_LLM_MAX_RETRIES, MICROFILM_LLM_MAX_TOKENS
                                                as for the OpenAI-compatible writer
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Mapping, Sequence

from microfilm.errors import ProviderError
from microfilm.providers.base import Capabilities, Price, ProviderInfo
from microfilm.providers.llm.openai_compat import _body_hint, _num
from microfilm.providers.llm.stepwise import LLMWriterBase
from microfilm.providers.llm.structured import LLMTransportError, Message, OutputSpec, Reply

DEFAULT_MODEL = "claude-sonnet-4-6"


@dataclass(frozen=True)
class AnthropicConfig:
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str = field(default="", repr=False)
    key_env: str = ""
    json_mode: Literal["format", "tool"] = "format"
    timeout: float = 180.0
    max_retries: int = 3
    max_tokens: int = 8192
    attempts: int = 3

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "AnthropicConfig":
        env = os.environ if env is None else env
        key, key_env = "", ""
        for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"):
            if env.get(name):
                key, key_env = env[name], name
                break
        mode = env.get("MICROFILM_ANTHROPIC_JSON") or "format"
        if mode not in ("format", "tool"):
            raise ProviderError(f"MICROFILM_ANTHROPIC_JSON={mode!r}: allowed values are format, tool")
        return cls(
            model=env.get("MICROFILM_ANTHROPIC_MODEL") or DEFAULT_MODEL,
            base_url=env.get("MICROFILM_ANTHROPIC_BASE_URL") or env.get("ANTHROPIC_BASE_URL") or None,
            api_key=key, key_env=key_env, json_mode=mode,  # type: ignore[arg-type]
            timeout=_num(env, "MICROFILM_LLM_TIMEOUT", 180.0),
            max_retries=int(_num(env, "MICROFILM_LLM_MAX_RETRIES", 3)),
            max_tokens=int(_num(env, "MICROFILM_LLM_MAX_TOKENS", 8192)),
        )

    def missing(self) -> list[str]:
        return [] if self.api_key else ["set ANTHROPIC_API_KEY"]


class AnthropicChat:
    """ChatBackend over the Messages API."""

    def __init__(self, config: AnthropicConfig, client: Any = None):
        self.config = config
        self.label = f"{config.model}" + (f" at {config.base_url}" if config.base_url else "")
        if client is None:
            try:
                import anthropic
            except ImportError:
                raise ProviderError("anthropic-writer: install microfilm[anthropic]") from None
            kwargs: dict[str, Any] = {"api_key": config.api_key, "timeout": config.timeout,
                                      "max_retries": config.max_retries}
            if config.base_url:
                kwargs["base_url"] = config.base_url
            client = anthropic.Anthropic(**kwargs)
        self.client = client

    def complete(self, messages: Sequence[Message], spec: OutputSpec, max_tokens: int) -> Reply:
        import anthropic

        system = "\n\n".join(m.content for m in messages if m.role == "system")
        turns = [{"role": m.role, "content": m.content} for m in messages if m.role != "system"]
        kwargs: dict[str, Any] = {"model": self.config.model, "max_tokens": max_tokens,
                                  "system": system, "messages": turns}
        if self.config.json_mode == "tool":
            kwargs["tools"] = [{"name": spec.name, "description": spec.description[:1000] or spec.name,
                                "input_schema": spec.schema}]
            kwargs["tool_choice"] = {"type": "tool", "name": spec.name}
        else:
            kwargs["output_config"] = {"format": {"type": "json_schema", "schema": spec.schema}}
        try:
            message = self.client.messages.create(**kwargs)
        except anthropic.AuthenticationError:
            raise LLMTransportError(f"{self.label}: the key was rejected; check "
                                    f"{self.config.key_env or 'ANTHROPIC_API_KEY'}",
                                    transient=False) from None
        except anthropic.RateLimitError as exc:
            raise LLMTransportError(f"{self.label}: still rate limited after "
                                    f"{self.config.max_retries} retries (HTTP 429); try again "
                                    f"later. {_body_hint(exc)}") from None
        except anthropic.APITimeoutError:
            raise LLMTransportError(f"{self.label}: no answer within {self.config.timeout:g} s, "
                                    f"{self.config.max_retries} retries; raise "
                                    "MICROFILM_LLM_TIMEOUT") from None
        except anthropic.APIConnectionError as exc:
            raise LLMTransportError(f"{self.label}: cannot connect ({type(exc).__name__})") from None
        except anthropic.APIStatusError as exc:
            transient = exc.status_code >= 500 or exc.status_code in (408, 409)
            raise LLMTransportError(f"{self.label}: HTTP {exc.status_code}"
                                    f"{' after retries' if transient else ''}. {_body_hint(exc)}",
                                    transient=transient) from None
        text_parts: list[str] = []
        for block in message.content or []:
            kind = getattr(block, "type", "")
            if kind == "tool_use":
                text_parts.append(json.dumps(block.input, ensure_ascii=False))
            elif kind == "text":
                text_parts.append(block.text)
        stop = message.stop_reason or "end_turn"
        finish = {"end_turn": "stop", "tool_use": "stop", "stop_sequence": "stop",
                  "max_tokens": "length", "model_context_window_exceeded": "length",
                  "refusal": "refusal"}.get(stop, "other")
        usage = message.usage
        return Reply(
            text="".join(text_parts), finish=finish,  # type: ignore[arg-type]
            refusal="".join(text_parts) if stop == "refusal" else "",
            input_tokens=getattr(usage, "input_tokens", 0) or 0,
            output_tokens=getattr(usage, "output_tokens", 0) or 0,
        )


class AnthropicWriter(LLMWriterBase):
    """Writes the film with Claude, step by step."""

    sdk_module: ClassVar[str] = "anthropic"
    extra: ClassVar[str] = "anthropic"
    config_cls: ClassVar[type] = AnthropicConfig

    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="anthropic-writer", capability="writer", model=DEFAULT_MODEL, version="1",
        title="Anthropic writer (Claude)", paid=True,
        price=Price(unit="1k_tokens", amount=0.0, currency="USD"),
        capabilities=Capabilities(languages=("en", "zh")), extra="anthropic",
        env_keys=("ANTHROPIC_API_KEY", "MICROFILM_ANTHROPIC_MODEL"), prices_read_on=None,
    )

    def __init__(self, config: AnthropicConfig | None = None, *, client: Any = None):
        self.config = config or AnthropicConfig.from_env()
        self.info = type(self).info.model_copy(update={"model": self.config.model})
        self.backend = AnthropicChat(self.config, client=client)
        self.last_usage = None
