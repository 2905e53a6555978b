"""The studio's screenplay assistance: a new film from a script (upload or paste), and the
writer's proposals for a film, side by side, accepted or rejected hunk by hunk.

The same operations as `microfilm new --from` and `microfilm assist`; nothing here writes
the screenplay or the bible except an accept, and an accept waits while a render runs.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, UploadFile

from microfilm.assist import proposals
from microfilm.assist.requests import KINDS, AssistRequest, propose
from microfilm.errors import MicrofilmError
from microfilm.project import Project
from microfilm.spec.brief import PLATFORMS
from microfilm.studio.errors import NotFound
from microfilm.studio.models import Film, Workspace, utcnow
from microfilm.studio import service
from microfilm.studio.routes.films import studio
from microfilm.studio.security import new_public_id
from microfilm.studio.web import Ctx, csrf_protect, film_for, page_ctx, redirect, render

router = APIRouter()
MAX_SCRIPT_BYTES = 2 * 1024 * 1024
"""A feature film's Final Draft file is under 2 MB; a micro film's script is a few KB."""

WORDS = {
    "en": {"new": "Start from your script", "lead": "Fountain, Final Draft (.fdx), or plain text / "
           "Markdown written as a screenplay. The bible (characters, places, looks, voices) is "
           "derived from it; your script is kept as you wrote it.",
           "file": "Script file", "paste": "…or paste it here", "optional": "optional: read "
           "from the title page when empty", "create": "Create the film",
           "assist": "Ask the writer", "assist_lead": "The writer proposes; nothing changes "
           "until you accept. Accept a whole proposal or only the hunks you tick.",
           "ask": "Propose", "request": "What should change?", "scene": "Scene",
           "lines": "Lines (A-B)", "tone": "Tone",
           "accept": "Accept ticked hunks", "reject": "Reject", "none": "No open proposals.",
           "before": "now", "after": "proposed", "back": "Back to the film", "left": "Note"},
    "zh": {"new": "从剧本开始", "lead": "支持 Fountain、Final Draft（.fdx）以及按剧本格式书写的纯文本 / "
           "Markdown。人物、场景、造型与声音由剧本推导；你的剧本保持原样。",
           "file": "剧本文件", "paste": "……或直接粘贴", "optional": "可选：留空则读取扉页",
           "create": "创建影片", "assist": "请编剧帮忙", "assist_lead": "编剧只提出修改建议；"
           "在你接受之前什么都不会改变。可以整体接受，也可以只接受勾选的修改块。",
           "ask": "提出建议", "request": "想怎么改？", "scene": "场次", "lines": "行号（A-B）",
           "tone": "基调",
           "accept": "接受勾选的修改", "reject": "拒绝", "none": "暂无待处理的建议。",
           "before": "现在", "after": "建议", "back": "返回影片", "left": "说明"},
}


def _words(ctx: Ctx) -> dict[str, str]:
    return WORDS.get(ctx.lang, WORDS["en"])


@router.get("/films/new/script")
def script_form(ctx: Ctx = Depends(page_ctx)):
    ctx.require_user()
    return render(ctx, "new_from_script.html", w=_words(ctx), errors=[], form={},
                  platforms=PLATFORMS)


@router.post("/films/from-script", dependencies=[Depends(csrf_protect)])
def create_from_script(ctx: Ctx = Depends(page_ctx), file: UploadFile | None = File(None),
                       text: str = Form(""), title: str = Form(""), genre: str = Form(""),
                       logline: str = Form(""), platform: str = Form("generic")):
    from microfilm.assist.script_import import start_film

    user = ctx.require_user()
    form = {"text": text, "title": title, "genre": genre, "logline": logline, "platform": platform}
    data, name = b"", "pasted script"
    if file is not None and file.filename:
        data, name = file.file.read(MAX_SCRIPT_BYTES + 1), file.filename
    elif text.strip():
        data = text.encode("utf-8")
    errors = []
    if not data:
        errors.append("choose a script file or paste the script")
    elif len(data) > MAX_SCRIPT_BYTES:
        errors.append(f"{name}: over {MAX_SCRIPT_BYTES // 1024 // 1024} MB; a screenplay is smaller")
    if not errors:
        ws = ctx.db.get(Workspace, user.workspace_id)
        public_id = new_public_id()
        rel = f"{ws.slug}/{public_id}"
        try:
            root, imported = start_film(
                ctx.request.app.state.settings.projects / rel, data, name, title=title or None,
                genre=genre or None, logline=logline or None, platform=platform)
        except MicrofilmError as exc:
            errors += [line for line in str(exc).splitlines() if line.strip()]
        else:
            brief = Project.at(root).brief()
            film = Film(public_id=public_id, workspace_id=ws.id, created_by=user.id,
                        title=brief.title, genre=brief.genre.value, language=brief.language,
                        logline=brief.logline, folder=rel, created_at=utcnow(),
                        updated_at=utcnow(), published_rev=0)
            ctx.db.add(film)
            ctx.db.commit()
            return redirect(f"/films/{public_id}?msg=created")
    return render(ctx, "new_from_script.html", status_code=400, w=_words(ctx), errors=errors,
                  form=form, platforms=PLATFORMS)


def _rows(lines: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """A hunk as side-by-side rows (kind, now, proposed): removed lines face the added ones."""
    rows: list[tuple[str, str, str]] = []
    minus: list[str] = []
    plus: list[str] = []

    def flush() -> None:
        for k in range(max(len(minus), len(plus))):
            rows.append(("change", minus[k] if k < len(minus) else None,
                         plus[k] if k < len(plus) else None))
        minus.clear()
        plus.clear()

    for line in lines:
        if line.startswith("-"):
            if plus:
                flush()
            minus.append(line[1:])
        elif line.startswith("+"):
            plus.append(line[1:])
        else:
            flush()
            rows.append(("same", line[1:], line[1:]))
    flush()
    return rows


def _page(ctx: Ctx, film: Film, status_code: int = 200, **extra):
    project = Project.at(service.folder(studio(ctx), film))
    shown = []
    for p in proposals.listed(project):
        try:
            hunks = proposals.hunks(project, p)
        except (OSError, UnicodeDecodeError):
            continue
        shown.append({"p": p, "hunks": [{"h": h, "rows": _rows(h.lines)} for h in hunks]})
    return render(ctx, "assist.html", status_code=status_code, film=film, fid=film.public_id,
                  w=_words(ctx), kinds=KINDS, shown=shown, **extra)


@router.get("/films/{fid}/assist")
def assist_page(fid: str, ctx: Ctx = Depends(page_ctx), done: str = ""):
    film = film_for(ctx.db, ctx.user, fid)
    return _page(ctx, film, done=done)


@router.post("/films/{fid}/assist", dependencies=[Depends(csrf_protect)])
def assist_request(fid: str, ctx: Ctx = Depends(page_ctx), kind: str = Form("free"),
                   text: str = Form(""), scene: str = Form(""), lines: str = Form(""),
                   tone: str = Form("")):
    film = film_for(ctx.db, ctx.user, fid)
    try:
        if kind not in KINDS:
            raise MicrofilmError(f"unknown request {kind!r}")
        made, left = propose(service.folder(studio(ctx), film), AssistRequest(
            kind=kind, text=text, scene=int(scene) if scene.strip() else None,
            lines=lines.strip() or None, tone=tone))
    except (MicrofilmError, ValueError) as exc:
        return _page(ctx, film, status_code=400, errors=str(exc).splitlines())
    return _page(ctx, film, notes=left, made=[p.id for p in made])


@router.post("/films/{fid}/assist/{pid}/accept", dependencies=[Depends(csrf_protect)])
def assist_accept(fid: str, pid: str, ctx: Ctx = Depends(page_ctx), hunks: list[int] = Form([])):
    film = film_for(ctx.db, ctx.user, fid)
    service.ensure_idle(studio(ctx), film)
    if not hunks:
        return _page(ctx, film, status_code=400, errors=["tick at least one hunk to accept"])
    try:
        proposals.accept(Project.at(service.folder(studio(ctx), film)), pid, hunks)
    except MicrofilmError as exc:
        return _page(ctx, film, status_code=409, errors=str(exc).splitlines())
    return redirect(f"/films/{fid}/assist?done={pid}")


@router.post("/films/{fid}/assist/{pid}/reject", dependencies=[Depends(csrf_protect)])
def assist_reject(fid: str, pid: str, ctx: Ctx = Depends(page_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    try:
        proposals.reject(Project.at(service.folder(studio(ctx), film)), pid)
    except MicrofilmError:
        raise NotFound() from None
    return redirect(f"/films/{fid}/assist")
