"""API keys: read from the environment or a private keys file, and never shown anywhere.

Keys come from, in order: the process environment, then `keys.toml` in microfilm's config
folder (`$XDG_CONFIG_HOME/microfilm/keys.toml`, else `~/.config/microfilm/keys.toml`). The
file must be private to its owner (mode 0600): a file others can read is tightened to 0600
with a warning, or refused if that cannot be done. Every key read through this module is
remembered so `redact()` can scrub it from any text (logs, error messages, files) - SDK
errors may echo request headers, so provider errors pass through `redact()` before a user
or a file sees them.
"""

from __future__ import annotations

import logging
import os
import stat
import tomllib
import warnings
from pathlib import Path

from microfilm.errors import ProviderError
# redaction lives below the providers and the ledger; its names stay importable from here
from microfilm.redaction import (MASK, RedactingFilter, install_log_redaction,  # noqa: F401
                                 redact, redact_then_cut, remember)

log = logging.getLogger(__name__)

KEYS_FILE_NAME = "keys.toml"


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "microfilm"


def keys_file() -> Path:
    return config_dir() / KEYS_FILE_NAME


def _private(path: Path) -> bool:
    """True when only the owner can read `path`; tighten it if we can, else refuse."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077 == 0:
        return True
    try:
        os.chmod(path, 0o600)
    except OSError:
        log.error("%s is readable by others (mode %o) and could not be made 0600; "
                  "its keys are ignored", path, mode)
        return False
    warnings.warn(f"{path} was readable by others (mode {mode:o}); it is now 0600",
                  stacklevel=3)
    return True


def _read_file(path: Path) -> dict[str, str]:
    if not path.is_file() or not _private(path):
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        # The parser's message may quote a line of the file (a key): name the file only.
        raise ProviderError(f"{path}: not valid TOML ({type(exc).__name__}); "
                            "expected lines like OPENAI_API_KEY = \"...\"") from None
    table = data.get("keys", data)
    found = {str(k): str(v) for k, v in table.items() if isinstance(v, (str, int))}
    for value in found.values():
        remember(value)
    return found


def get(name: str, *, path: Path | None = None) -> str | None:
    """The key `name` from the environment, else the keys file; None when absent."""
    value = os.environ.get(name)
    if value:
        remember(value)
        return value
    value = _read_file(path or keys_file()).get(name)
    return value or None


def has(name: str, *, path: Path | None = None) -> bool:
    return get(name, path=path) is not None


def require(name: str, *, provider: str = "", path: Path | None = None) -> str:
    """The key `name`, or a ProviderError saying where to put it (never echoing a value)."""
    value = get(name, path=path)
    if value is None:
        who = f"{provider}: " if provider else ""
        raise ProviderError(f"{who}set {name} in the environment or in {path or keys_file()}")
    return value


def save(name: str, value: str, *, path: Path | None = None) -> Path:
    """Add or replace one key in the keys file, created with mode 0600 from the start."""
    target = path or keys_file()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    current = _read_file(target) if target.exists() else {}
    current[name] = value
    lines = ["# microfilm API keys: keep this file private (mode 0600)", "[keys]"]
    lines += [f"{k} = {_toml_string(v)}" for k, v in sorted(current.items())]
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    remember(value)
    return target


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
