"""Small JPEG thumbnails of keyframes and covers for the storyboard grid and the gallery.

Keyframes are painted larger than 1080x1920; a grid of twenty of them would be tens of MB.
Thumbnails are derived data: cached under the studio home by the source's path, size and
mtime, so a new take (a new file) gets a new thumbnail.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image

from microfilm.fsutil import atomic_write_bytes


def thumbnail(source: Path, cache: Path, width: int = 360) -> Path | None:
    """The cached thumbnail of `source`, or None when it does not decode (a file broken on
    disk, a truncated download): the page shows no picture rather than an error."""
    try:
        return _thumbnail(source, cache, width)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def _thumbnail(source: Path, cache: Path, width: int) -> Path:
    st = source.stat()
    key = hashlib.sha256(f"{source}|{st.st_size}|{st.st_mtime_ns}|{width}".encode()).hexdigest()[:32]
    out = cache / key[:2] / f"{key}.jpg"
    if out.exists():
        return out
    with Image.open(source) as im:
        im = im.convert("RGB")
        h = max(1, round(im.height * width / im.width))
        im = im.resize((width, h), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=82, optimize=True, progressive=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out, buf.getvalue())
    return out
