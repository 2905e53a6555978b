"""The one way microfilm runs ffmpeg: argv lists (never shell strings), errors with context.

The binary is imageio-ffmpeg's static build (libx264, libass, fontconfig, harfbuzz), so the
same filters work on every machine without a system ffmpeg.

No ffmpeg outlives its run: each one stays in the caller's process group (a Ctrl-C in the
terminal reaches it too), asks the kernel to kill it if the thread that started it dies
(Linux PR_SET_PDEATHSIG: `make` killed with kill -9), and is killed by `stop_all()` when
the caller is interrupted or exits while worker threads still wait on their encodes.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import signal
import subprocess
import threading
from collections import deque
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

from microfilm.errors import MediaError

X264_PRESET = "veryfast"
X264_CRF = "20"
X264_THREADS = 4
"""x264's thread count for every encode, whatever the machine. x264 is deterministic for a
given thread count, but its bitstream changes with the count (a frame thread's motion search
sees only the part of its reference frames already encoded, and rate control lags by more
frames), and left to itself ffmpeg picks 1.5 x the CPUs the process may run on. So the same
segment came out in other bytes on a 1-CPU and a 2-CPU process (tests/unit/test_determinism.py),
and a film made on a cluster of unlike machines, or under another CPU affinity, could not be
byte-identical to one made here. Pinned, it is. Why 4: x264's speed stops growing past about
4 threads while its memory keeps growing (bench/stitch.py's probe on a 1080x1920 segment:
306 MB at 1 thread, 378 MB at 4, 736 MB at 24), and parallel segments use more cores better; against ffmpeg's own choice a 1080x1920 segment costs 0.98x the CPU and 1.03x the
memory on 2 CPUs, 1.02x and 1.23x on 1 CPU (bench/x264_threads.py). Filter threads need no
pin: the filters an encode uses (scale, subtitles, drawtext) gave the same bytes on 1, 2, 8."""
CALL_LOG_ENV = "MICROFILM_FFMPEG_LOG"
"""A file to append every ffmpeg argv to (one JSON list a line): how bench/speed.py and the
tests count encodes instead of assuming them."""


@cache
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    chosen = os.environ.get("IMAGEIO_FFMPEG_EXE")
    if chosen and not (os.path.isfile(chosen) and os.access(chosen, os.X_OK)):
        raise MediaError(f"IMAGEIO_FFMPEG_EXE={chosen}: no ffmpeg program there; unset it to "
                         "use the ffmpeg microfilm ships with, or point it to an ffmpeg binary")
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:
        raise MediaError(f"no ffmpeg found ({exc})") from None


@dataclass(frozen=True)
class Result:
    stdout: bytes
    stderr: str


_PR_SET_PDEATHSIG = 1
_live: set[subprocess.Popen] = set()
_live_lock = threading.Lock()


def _death_signal() -> Callable[[], None] | None:
    """A pre-exec hook that has the kernel SIGKILL the child when its parent dies (Linux)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    sig = int(signal.SIGKILL)
    return lambda: prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)  # no allocation, no import


_PREEXEC = _death_signal()


_stopping = threading.Event()


def stop_all(*, for_good: bool = False) -> int:
    """Kill every ffmpeg this process started that is still running; how many were.
    `for_good`: the run is over, so encodes still queued in worker pools fail at once
    instead of starting."""
    if for_good:
        _stopping.set()
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
    return len(procs)


atexit.register(stop_all)


def stop_on_signals() -> Callable[[], None]:
    """Make SIGINT and SIGTERM end this process's encodes at once, then raise
    KeyboardInterrupt (worker pools would otherwise wait for every running encode).
    Call from the main thread of a command-line entry point; returns what restores the
    previous handlers (for a caller that goes on living, like a test)."""
    def interrupted(signum: int, frame: object) -> None:
        stop_all(for_good=True)
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    before = {s: signal.signal(s, interrupted) for s in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, handler in before.items():
            signal.signal(sig, handler)

    return restore


def run(args: Sequence[str | Path], *, what: str, input: bytes | None = None,
        timeout: float | None = 1800, feed: Iterable[bytes | memoryview] | None = None) -> Result:
    """Run ffmpeg with `args` (without the program name); raise MediaError naming `what`.

    `feed`: chunks written to ffmpeg's stdin as ffmpeg reads them (raw frames made on the
    fly, media/motion.py), so a long stream never sits in memory whole as `input` would.
    A chunk must not change once handed over: a writable one is spliced into the pipe, not
    copied (see _Feeder)."""
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *map(str, args)]
    if input is not None or feed is not None:
        argv.remove("-nostdin")
    if _stopping.is_set():
        raise MediaError(f"{what}: not started, the run was interrupted")
    if log := os.environ.get(CALL_LOG_ENV):
        _log_call(Path(log), argv[1:])
    stdin: int = subprocess.PIPE if input is not None else subprocess.DEVNULL
    if feed is not None:
        stdin, feed_fd = os.pipe()
    child = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=_PREEXEC)
    feeder = _Feeder(feed_fd, feed) if feed is not None else None
    if feed is not None:
        os.close(stdin)
    with _live_lock:
        _live.add(child)
    try:
        out, err = child.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise MediaError(f"{what}: ffmpeg ran past {timeout:.0f} s and was stopped") from None
    except BaseException:  # interrupted: the encode must not go on without us
        child.kill()
        child.wait()
        raise
    finally:
        with _live_lock:
            _live.discard(child)
        if feeder is not None:
            feeder.join()
    proc = subprocess.CompletedProcess(argv, child.returncode, out, err)
    stderr = proc.stderr.decode("utf-8", "replace")
    if feeder is not None and feeder.error is not None:
        raise MediaError(f"{what}: making its input failed: {feeder.error}") from feeder.error
    if proc.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-12:])
        raise MediaError(f"{what}: ffmpeg failed (exit {proc.returncode}):\n{tail}")
    return Result(proc.stdout, stderr)


PIPE_BYTES = 1 << 20
"""What ffmpeg's stdin pipe holds when a feed writes to it. The kernel's default (64 KiB)
makes the writer wait for ffmpeg about 48 times a 1080x1920 frame, and leaves too little room
for splicing to pay (bench/motion.py); 1 MiB is Linux's default cap for an unprivileged
process (/proc/sys/fs/pipe-max-size). Where the kernel refuses, the pipe keeps its size."""


class _IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def _vmsplice() -> Callable[[int, memoryview], int] | None:
    """Linux's vmsplice(2): hands a buffer's pages to the pipe instead of copying them into
    it, as write(2) does (that copy was 8% of the driver's CPU in a house film's cut:
    bench/README.md, motion.py). The pages stay the buffer's: whatever changes them before
    ffmpeg has read them changes what ffmpeg reads (see _Feeder). None without vmsplice."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        call = libc.vmsplice
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.POINTER(_IoVec), ctypes.c_size_t, ctypes.c_uint]
    call.restype = ctypes.c_ssize_t

    def splice(fd: int, view: memoryview) -> int:
        pages = (ctypes.c_char * len(view)).from_buffer(view)
        iov = _IoVec(ctypes.addressof(pages), len(view))
        while (n := call(fd, ctypes.byref(iov), 1, 0)) < 0:
            if (err := ctypes.get_errno()) != errno.EINTR:
                raise OSError(err, os.strerror(err))  # EPIPE: a BrokenPipeError
        return n

    return splice


_SPLICE = _vmsplice()


def _widen(fd: int) -> int:
    """Ask for a PIPE_BYTES pipe; what it holds now, in bytes."""
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (OSError, AttributeError):  # over the cap, or not Linux
        pass
    try:
        return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
    except (OSError, AttributeError):
        return PIPE_BYTES


class _Feeder(threading.Thread):
    """Writes a run's `feed` to ffmpeg's stdin; stops when ffmpeg stops reading (it has the
    frames it wants, or it failed: its exit status tells which).

    A writable chunk is spliced (vmsplice) rather than copied: the pipe then holds its pages,
    not a copy, until ffmpeg reads them. So the chunk must not change after it is handed over
    (run's `feed` contract), and it must not be freed either, lest its memory be reused for
    something else while ffmpeg has yet to read it: the feeder keeps every chunk until more
    than the pipe holds has been fed after it, and run() keeps the feeder until ffmpeg has
    exited."""

    def __init__(self, fd: int, chunks: Iterable[bytes | memoryview]):
        super().__init__(daemon=True)
        self.fd, self.chunks, self.error = fd, chunks, None
        self.kept: deque[memoryview] = deque()  # chunks ffmpeg may not have read yet
        self.start()

    def run(self) -> None:
        try:
            with open(self.fd, "wb", buffering=0) as pipe:
                holds, after = _widen(self.fd), 0
                for chunk in self.chunks:
                    whole = view = memoryview(chunk).cast("B")
                    splice = _SPLICE if _SPLICE is not None and not view.readonly else None
                    while view:
                        view = view[splice(self.fd, view) if splice else pipe.write(view):]
                    self.kept.append(whole)
                    after += len(whole)
                    # the pipe holds at most `holds` bytes: a chunk with that much fed after
                    # it has been read
                    while self.kept and after - len(self.kept[0]) >= holds:
                        after -= len(self.kept.popleft())
        except BrokenPipeError:
            pass
        except Exception as exc:  # noqa: BLE001 - raised by run() in the caller's thread
            self.error = exc


def _log_call(log: Path, argv: list[str]) -> None:
    line = json.dumps(argv, ensure_ascii=False) + "\n"
    with _live_lock, open(log, "a", encoding="utf-8") as f:
        f.write(line)


def logged_calls(log: Path) -> list[list[str]]:
    """The argvs CALL_LOG_ENV's file holds, in the order the calls started."""
    if not Path(log).exists():
        return []
    return [json.loads(line) for line in Path(log).read_text(encoding="utf-8").splitlines()]


def video_encode_args(fps: int = 30) -> list[str]:
    """The master's video spec, used by every encode so segments join by stream copy."""
    return [
        "-c:v", "libx264", "-preset", X264_PRESET, "-crf", X264_CRF,
        "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-r", str(fps), "-fps_mode", "cfr",
        "-g", str(fps * 2), "-bf", "2",
        "-color_range", "tv", "-colorspace", "bt709", "-color_primaries", "bt709",
        "-color_trc", "bt709", "-threads", str(X264_THREADS),
    ]
