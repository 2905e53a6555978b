"""Frozen settings: defaults < user config < film.toml [settings] < environment < CLI.

One `Settings` object is built per run and passed down; nothing reads a global.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from microfilm import i18n
from microfilm.errors import SpecError
from microfilm.userfiles import read_text

ENV_PREFIX = "MICROFILM_"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    workers: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1), ge=1, le=64)
    ai_label: str = ""  # visible AI-generated label; empty = the default for the language
    producer: str = "microfilm"  # named in the implicit AI label
    usd_to_cny: float = 7.2
    keyframe_oversize: float = 1.2  # keyframes are painted larger so camera moves have room
    # C2PA content credentials: the master is signed when both are set (PEM files).
    c2pa_cert_chain: Path | None = None
    c2pa_private_key: Path | None = None
    # A paid animator renders a shot only once a person approved it and its characters'
    # reference sheets; the house animator drafts it meanwhile (see microfilm.review).
    approve_before_animating: bool = True
    # A provider model the catalogue marks retired is replaced by its named successor (and
    # says so) instead of stopping the run (see microfilm.providers.lifecycle).
    follow_successor: bool = False
    # Subtitle languages, the film's own first: ["zh", "en"] burns English under the Chinese
    # (from screenplay.en.fountain) and writes film.zh.srt, film.en.srt (and .vtt).
    subtitles: tuple[Literal["en", "zh"], ...] = ()
    # Where tasks run (microfilm.executor): "local" (this process), "auto" (a Ray cluster
    # started on this machine) or a Ray cluster's address, "HOST:PORT" or "ray://HOST:PORT".
    executor: str = Field(default="local", pattern=r"^(local|auto|ray://\S+|[\w.\-]+:\d+)$")
    # The cluster's one ledger of paid calls, PostgreSQL (postgresql://...); "" = SQLite in
    # the film folder, right for one machine.
    ledger_url: str = Field(default="", pattern=r"^(|postgres(ql)?://\S+)$", repr=False)


def user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "microfilm" / "config.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: not valid TOML: {exc}") from None


def load_settings(project_settings: dict[str, Any] | None = None, *, source: str = "settings",
                  **cli: Any) -> Settings:
    """The settings for one run; `source` names the project's table in errors."""
    layers: dict[str, Any] = {}
    layers.update(_read_toml(user_config_path()).get("settings", {}))
    unknown = sorted(set(project_settings or {}) - set(Settings.model_fields))
    if unknown:
        raise SpecError(f"{source}: unknown setting(s) {', '.join(unknown)}; allowed: "
                        f"{', '.join(Settings.model_fields)}")
    layers.update(project_settings or {})
    from_env: set[str] = set()
    for name in Settings.model_fields:
        env = os.environ.get(ENV_PREFIX + name.upper())
        if env is not None:
            layers[name] = _env_value(name, env)
            from_env.add(name)
    cli_set = {k: v for k, v in cli.items() if v is not None}
    layers.update(cli_set)
    try:
        return Settings.model_validate(layers)
    except ValidationError as exc:
        # a bad value from the environment is named by its variable: film.toml may be fine
        blamed = sorted(ENV_PREFIX + str(e["loc"][0]).upper() for e in exc.errors()
                        if e["loc"] and e["loc"][0] in from_env - set(cli_set))
        where = f"{source} (from the environment: {', '.join(blamed)})" if blamed else source
        raise SpecError.from_validation(where, exc) from None


def _env_value(name: str, raw: str) -> Any:
    """An environment variable's text as the field wants it: a list field takes
    comma-separated items (MICROFILM_SUBTITLES=zh,en)."""
    if get_origin(Settings.model_fields[name].annotation) is tuple:
        return tuple(item.strip() for item in raw.split(",") if item.strip())
    return raw


def default_ai_label(language: str) -> str:
    return i18n.messages(language)("label.ai")
