"""Writers backed by real language models (OpenAI-compatible servers and Anthropic).

`structured` turns a model's reply into a validated pydantic object (repairing or asking
again, a bounded number of times); `stepwise` writes a whole film in small steps so no
single reply has to hold a 10-minute script; `openai_compat` and `anthropic_writer` are the
two transports. The SDKs are optional extras: importing this package needs neither.
"""

from microfilm.providers.llm.structured import (
    Attempt,
    ChatBackend,
    LLMRefusal,
    LLMTransportError,
    Message,
    OutputSpec,
    Reply,
    Structured,
    StructuredOutputError,
    generate,
    parse_json,
    repair_json,
    wire_schema,
)

__all__ = [
    "Attempt", "ChatBackend", "LLMRefusal", "LLMTransportError", "Message", "OutputSpec",
    "Reply", "Structured", "StructuredOutputError", "generate", "parse_json", "repair_json",
    "wire_schema",
]
