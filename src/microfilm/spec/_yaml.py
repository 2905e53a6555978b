"""YAML io shared by the bible and the storyboard: readable, key order kept, errors located."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from microfilm.errors import SpecError
from microfilm.fsutil import atomic_write_text
from microfilm.userfiles import read_text

M = TypeVar("M", bound=BaseModel)


def dump_yaml(model: BaseModel, header: str = "") -> str:
    body = yaml.safe_dump(
        model.model_dump(mode="json", exclude_defaults=False),
        allow_unicode=True, sort_keys=False, width=100,
    )
    return (header + body) if header else body


# libyaml's parser when PyYAML was built with it (5-10x faster: a studio film page parses the
# bible and the storyboard on every load); the results are the same (the constructor and the
# resolver are PyYAML's own in both), and a file that does not parse is read again by the
# pure-Python parser so its error message (and the line it names) is the one users know.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _parse(text: str):
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - CSafeLoader is the safe loader
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def load_yaml(cls: type[M], path: Path, *, missing: str = "") -> M:
    text = read_text(path, missing=missing)
    try:
        raw = _parse(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SpecError(f"{path}:{where} not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if raw is not None and not isinstance(raw, dict):
        raise SpecError(f"{path}: expected a mapping of fields (name: value), "
                        f"got a YAML {type(raw).__name__}")
    try:
        return cls.model_validate(raw or {})
    except ValidationError as exc:
        raise SpecError.from_validation(str(path), exc) from None


def save_yaml(model: BaseModel, path: Path, header: str = "") -> None:
    atomic_write_text(path, dump_yaml(model, header))
