"""Images a person brings (reference pictures, logos): type checked by magic bytes and by
decoding, size capped, before anything keeps them.

A file's name and claimed type (a browser's Content-Type, an extension) are not trusted: the
stored name is made here from the content's hash, and the type is what the bytes are.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from microfilm.errors import MicrofilmError

MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_REFERENCE_BYTES = 20 * 1024 * 1024  # a person's reference picture; providers take less


class ImageRefused(MicrofilmError):
    def __init__(self, message: str, status: int = 415):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    mime: str
    ext: str
    sha256: str
    width: int
    height: int

    @property
    def stored_name(self) -> str:
        return f"{self.sha256[:16]}{self.ext}"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(mime, extension) from the first bytes, or None for anything but PNG, JPEG, WebP."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def mime_of(path: Path) -> str:
    """An image file's type from its bytes (a painted sheet is a PNG, a person's own picture
    may be a JPEG or WebP whatever its name says); PNG when unknown."""
    with open(path, "rb") as f:
        kind = sniff(f.read(16))
    return kind[0] if kind else "image/png"


def check_image(data: bytes, max_bytes: int) -> CheckedImage:
    if len(data) > max_bytes:
        raise ImageRefused(f"the file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB", 413)
    if not data:
        raise ImageRefused("the file is empty", 400)
    kind = sniff(data[:16])
    if kind is None:
        raise ImageRefused("only PNG, JPEG and WebP images are accepted")
    mime, ext = kind
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.width * im.height > MAX_PIXELS:
                raise ImageRefused(f"the image is {im.width}x{im.height}; at most {MAX_PIXELS // 1_000_000} MP", 413)
            size = im.size
            im.verify()
        with Image.open(io.BytesIO(data)) as im:
            im.load()  # every pixel: verify() leaves a truncated JPEG's missing scans unread
    except ImageRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRefused(f"the image does not decode: {exc}") from None
    return CheckedImage(data=data, mime=mime, ext=ext, sha256=hashlib.sha256(data).hexdigest(),
                        width=size[0], height=size[1])
