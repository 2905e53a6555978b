"""Run the `microfilm` command in-process as a person types it: exit status, stdout, stderr."""

from __future__ import annotations

import sys

from microfilm.cli.app import main


def invoke(monkeypatch, capsys, *args: object) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["microfilm", *map(str, args)])
    monkeypatch.setenv("COLUMNS", "200")  # Rich wraps at the terminal width
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
