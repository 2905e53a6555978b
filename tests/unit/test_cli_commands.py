"""Every command module is registered, and one that fails to import stops `microfilm` loudly
instead of vanishing from --help (issue 10). Runs the real entry point in a child process."""

from __future__ import annotations

import os
import subprocess
import sys

PROGRAM = """
import sys
{setup}
sys.argv = ["microfilm", "--help"]
from microfilm.cli.app import main
main()
"""


def _run(setup: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PROGRAM.format(setup=setup)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})


def test_every_command_is_listed() -> None:
    done = _run()
    assert done.returncode == 0, done.stderr
    for command in ("new", "make", "status", "approve", "check", "estimate", "providers", "qc", "serve"):
        assert f" {command} " in done.stdout, command


def test_a_command_that_fails_to_import_fails_loudly() -> None:
    # None in sys.modules makes importing microfilm.cli.qc raise ModuleNotFoundError (an
    # ImportError), as a broken import inside the module would; it used to be skipped.
    done = _run('sys.modules["microfilm.cli.qc"] = None')
    assert done.returncode != 0
    assert "ModuleNotFoundError: import of microfilm.cli.qc halted" in done.stderr
    assert " qc " not in done.stdout
