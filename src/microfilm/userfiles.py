"""Reading a file a person wrote or edited: text in UTF-8, or one clear error naming it.

Every project file (film.toml, bible.yaml, screenplay.fountain, storyboard.yaml, the user
config) is read through `read_text`, so a folder where a file should be, a file that cannot
be read, a binary file, or text saved as UTF-16 or Latin-1 is refused with the file, the
line where that is useful, and the fix, instead of a traceback deep in a parser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from microfilm.errors import SpecError

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_text(path: Path, *, missing: str = "",
              located: Callable[[int, str], SpecError] | None = None) -> str:
    """The file's text (UTF-8, a BOM allowed); SpecError naming `path` otherwise.
    `missing` is the fix shown when the file does not exist (e.g. which command writes it);
    `located(line, message)` makes the error for a problem at a line (a format's own error
    type), by default `path: line N: message`."""
    path = Path(path)
    at = located or (lambda line, message: SpecError(f"{path}: line {line}: {message}"))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SpecError(f"{path}: file not found" + (f"; {missing}" if missing else "")) from None
    except IsADirectoryError:
        raise SpecError(f"{path}: is a folder, not a file; remove or rename the folder") from None
    except PermissionError:
        raise SpecError(f"{path}: cannot be read (permission denied); make it readable "
                        "(chmod u+r)") from None
    except NotADirectoryError:
        raise SpecError(f"{path.parent}: is a file, not a folder") from None
    except OSError as exc:
        raise SpecError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if data.startswith(_UTF16_BOMS):
        raise SpecError(f"{path}: saved as UTF-16; save it as UTF-8 text")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise at(line, "binary data (a NUL byte), not text; restore the file or save it as "
                 "UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise at(line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as "
                 "UTF-8") from None
