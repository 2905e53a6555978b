"""The generate stage's CPU for a house film, before against after, in one run (issue 14
point 4a).

One film is made up to its storyboard (research, develop, board) with this checkout's code;
then, per round, a copy of it goes through `generate` alone in a fresh child process, once
with the code before (`--before`: a git commit of this repository, or a folder holding a
`microfilm` package) and once with this checkout's, alternating. Each child reports:

- the generate stage's CPU seconds: getrusage of the child itself (all its threads) and of
  the processes it waited for (eSpeak's), around `api.make(stages=["generate"])` alone, so
  the interpreter's start and imports are not counted;
- the thread CPU seconds each house provider spent in its own calls (painter, voice,
  composer, animator; time.thread_time around each call, summed);
- the SHA-256 of every asset the manifest names (keyframes, clips, voices, score, cover).

The figures are the best of the rounds per side (the least disturbed by what else the
machine runs), and the assets of the two sides are compared: the point is less CPU for the
same pictures and sounds, so any asset whose bytes differ is listed and the exit status is 1.

    .venv/bin/python bench/generate_cpu.py                       # 3 rounds, ~2 min on 2 cores
    .venv/bin/python bench/generate_cpu.py --rounds 5 --genre youth-romance --language en
    .venv/bin/python bench/generate_cpu.py --before 65ebb8a --json figures.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BEFORE = "65ebb8a"  # main before the generate stage's CPU work (issue 14 point 4a)

# The child: import, wrap the house providers' calls with thread-CPU timers, run generate,
# report. Kept as source so it runs against either side's package unchanged.
CHILD = r"""
import hashlib, json, resource, sys, threading, time
from pathlib import Path

def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime

from microfilm import api
from microfilm.providers.house.animator import HouseAnimator
from microfilm.providers.house.composer import HouseComposer
from microfilm.providers.house.painter import HousePainter
from microfilm.providers.house.voice import HouseVoice

spent, lock = {}, threading.Lock()

def timed(cls, name, label):
    inner = getattr(cls, name)
    def call(self, request):
        t0 = time.thread_time()
        try:
            return inner(self, request)
        finally:
            with lock:
                n, s = spent.get(label, (0, 0.0))
                spent[label] = (n + 1, s + time.thread_time() - t0)
    setattr(cls, name, call)

timed(HousePainter, "paint", "painter")
timed(HouseVoice, "speak", "voice")
timed(HouseComposer, "compose", "composer")
timed(HouseAnimator, "animate", "animator")

root = Path(sys.argv[1])
me, kids, t0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
api.make(root, stages=["generate"])
wall = time.perf_counter() - t0
me, kids = cpu(resource.RUSAGE_SELF) - me, cpu(resource.RUSAGE_CHILDREN) - kids
from microfilm.project import Project
manifest = Project.at(root).load_manifest()
paths = [manifest.score, manifest.cover]
for s in manifest.shots:
    paths += [s.keyframe, s.clip] + [v.path for v in s.voices]
digests = {p: hashlib.sha256((root / p).read_bytes()).hexdigest() for p in paths}
print(json.dumps(dict(cpu=me + kids, self_cpu=me, children_cpu=kids, wall=wall,
                      providers=spent, assets=digests,
                      package=__import__("microfilm").__file__)))
"""


def before_src(ref: str, work: Path) -> Path:
    """The folder to put first on the child's path for the code before."""
    path = Path(ref)
    if (path / "microfilm" / "__init__.py").is_file():
        return path
    if (path / "src" / "microfilm" / "__init__.py").is_file():
        return path / "src"
    out = work / "before"
    archive = work / "before.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "-C", str(REPO), "archive", ref, "src"], stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(out, filter="data")
    return out / "src"


def make_board(work: Path, genre: str, language: str, duration: int, seed: int) -> Path:
    """The film up to its storyboard, made once with this checkout's code."""
    code = ("import sys; from microfilm import api; root = api.new(sys.argv[1], title=sys.argv[2], "
            "genre=sys.argv[3], logline=sys.argv[4], language=sys.argv[5], "
            "duration=int(sys.argv[6]), seed=int(sys.argv[7])); "
            "api.make(root, stages=['research', 'develop', 'board'])")
    zh = language == "zh"
    title = "最后一班车" if zh else "The Last Bus"
    logline = ("一个从不说爱的父亲，每晚都在末班车站等女儿。" if zh
               else "A father who never says love waits at the last bus stop every night.")
    root = work / "board"
    subprocess.run([sys.executable, "-c", code, str(root), title, genre, logline, language,
                    str(duration), str(seed)], env=child_env(REPO / "src", work), check=True)
    return root


def child_env(src: Path, work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src)
    for name in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        env[name] = str(work / "home")
    return env


def generate_once(board: Path, src: Path, work: Path, tag: str) -> dict:
    film = work / f"film-{tag}"
    shutil.rmtree(film, ignore_errors=True)
    shutil.copytree(board, film)
    done = subprocess.run([sys.executable, "-c", CHILD, str(film)], env=child_env(src, work),
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"generate ({tag}) failed:\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if not report["package"].startswith(str(src)):
        raise SystemExit(f"{tag}: the child imported {report['package']}, not {src}")
    shutil.rmtree(film, ignore_errors=True)
    return report


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["cpu"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", default=BEFORE,
                    help="git commit (or a src folder) of the code before; default %(default)s")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--genre", default="touching-family")
    ap.add_argument("--language", default="zh")
    ap.add_argument("--duration", type=int, default=60)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="microfilm-gencpu-"))
    try:
        src_before, src_after = before_src(args.before, work), REPO / "src"
        one, five, _ = os.getloadavg()
        print(f"bench/generate_cpu.py: {args.duration} s {args.language} {args.genre} film, seed "
              f"{args.seed}; before = {args.before}, after = {src_after}; load average {one:.1f} "
              f"(1 min), {five:.1f} (5 min) on {os.cpu_count()} cores")
        board = make_board(work, args.genre, args.language, args.duration, args.seed)
        runs: dict[str, list[dict]] = {"before": [], "after": []}
        for i in range(args.rounds):
            for tag, src in (("before", src_before), ("after", src_after)):
                r = generate_once(board, src, work, tag)
                runs[tag].append(r)
                print(f"  round {i + 1} {tag:6s}: generate {r['cpu']:5.2f} CPU s, "
                      f"{r['wall']:5.2f} wall s", flush=True)
        b, a = best(runs["before"]), best(runs["after"])
        print(f"\n  {'best of ' + str(args.rounds):34s} {'before':>8s} {'after':>8s} "
              f"{'after/before':>13s}")
        print(f"  {'generate stage, CPU s (with eSpeak)':34s} {b['cpu']:8.2f} {a['cpu']:8.2f} "
              f"{a['cpu'] / b['cpu']:12.2f}x")
        print(f"  {'generate stage, wall s':34s} {b['wall']:8.2f} {a['wall']:8.2f} "
              f"{a['wall'] / b['wall']:12.2f}x")
        for label in ("painter", "voice", "composer", "animator"):
            nb, sb = b["providers"].get(label, (0, 0.0))
            na, sa = a["providers"].get(label, (0, 0.0))
            print(f"  {'  ' + label + f' ({nb} calls), thread CPU s':34s} {sb:8.2f} {sa:8.2f} "
                  f"{(sa / sb if sb else 0):12.2f}x")
        print("  (provider thread CPU excludes the processes they start: eSpeak's are in the "
              "stage's CPU)")
        differ = sorted(p for p in set(b["assets"]) | set(a["assets"])
                        if b["assets"].get(p) != a["assets"].get(p))
        if differ:
            print(f"\n  {len(differ)} of {len(b['assets'])} assets differ between before and "
                  "after: " + ", ".join(differ))
        else:
            print(f"\n  all {len(a['assets'])} assets (keyframes, clips, voices, score, cover) "
                  "are byte-identical before and after")
        if args.json:
            args.json.write_text(json.dumps(dict(before=runs["before"], after=runs["after"]),
                                            indent=1), encoding="utf-8")
        return 1 if differ else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
