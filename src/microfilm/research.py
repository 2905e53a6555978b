"""The research dossier (research.md): what a team reads before writing a word.

Offline it is built from knowledge that ships with the package (genre conventions and
beats, audience notes, platform specs) and the form's rules applied to this brief, plus a
budget and schedule estimate from the chosen providers. With an LLM writer it also asks
the model to reason about this brief (brand integration, tone, references, risks, hooks),
validated against a schema and bounded to two attempts; if that fails the dossier says so
and is still written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from microfilm import form, knowledge, platforms
from microfilm.errors import ProviderError
from microfilm.spec.brief import Brief

log = logging.getLogger(__name__)

ProviderEstimate = tuple[str, str, Any]
"""(capability, provider id, estimated cost): a number in the brief's currency, or a money
object with `amount` and `currency` (and `to(currency)`)."""

_T = {
    "en": {
        "title": "Research", "brief": "The brief", "genre": "Genre", "conventions": "Conventions",
        "beats": "Beat structure", "beat": "Beat", "share": "Share", "seconds": "Seconds",
        "what": "What happens", "references": "References to study", "pitfalls": "Pitfalls",
        "brand": "Brand fit", "audience": "Audience", "platform": "Platform",
        "form": "The form's constraints for this brief", "estimate": "Budget and schedule (estimate)",
        "writer": "The writer's notes", "spec": "Spec", "value": "Value",
        "capability": "Capability", "provider": "Provider", "cost": "Estimated cost",
        "stage": "Stage", "days": "Working days", "note": "Note", "free": "free",
    },
    "zh": {
        "title": "调研", "brief": "需求", "genre": "类型", "conventions": "类型惯例",
        "beats": "节拍结构", "beat": "节拍", "share": "占比", "seconds": "秒数",
        "what": "内容", "references": "参考作品", "pitfalls": "常见问题",
        "brand": "品牌植入", "audience": "受众", "platform": "发布平台",
        "form": "本片的形式约束", "estimate": "预算与排期（估算）",
        "writer": "编剧笔记", "spec": "规格", "value": "数值",
        "capability": "环节", "provider": "服务", "cost": "预估费用",
        "stage": "阶段", "days": "工作日", "note": "说明", "free": "免费",
    },
}


def _fmt_money(amount: float, currency: str) -> str:
    return f"{'¥' if currency == 'CNY' else '$'}{amount:,.2f}"


def _cost_in(cost: Any, currency: str) -> float:
    """A cost as a number in `currency` (numbers are taken to be in it already)."""
    if cost is None:
        return 0.0
    if isinstance(cost, (int, float)):
        return float(cost)
    if hasattr(cost, "to"):
        cost = cost.to(currency)
    return float(getattr(cost, "amount", 0.0))


@dataclass(frozen=True)
class ScheduleLine:
    stage: str
    days: float
    note: str


def estimate_schedule(brief: Brief, paid: dict[str, bool]) -> list[ScheduleLine]:
    """Working days per stage for a small team (one director-editor, one reviewer)."""
    zh = brief.language == "zh"
    body = max(10.0, brief.duration - form.TITLE_CARD_S - form.CREDITS_CARD_S)
    shots = max(1, round(body / brief.preset.mean_shot_s))
    # a paid animator renders a clip in minutes, a few at a time, and about a third are redone
    render_days = shots * 1.33 * 4 / 60 / 6 if paid.get("animator") else 0.1
    lines = [
        ScheduleLine("research + develop" if not zh else "调研与剧本", 1.0 if paid.get("writer") else 0.5,
                     "draft, table read, one revision" if not zh else "初稿、读本、一轮修改"),
        ScheduleLine("board + animatic" if not zh else "分镜与动态预演", 0.5,
                     f"about {shots} shots" if not zh else f"约{shots}个镜头"),
        ScheduleLine("generate" if not zh else "生成", round(max(0.25, render_days), 2),
                     ("paid renders, about a third regenerated" if not zh else "付费生成，约三分之一需重做")
                     if paid.get("animator") else ("embedded providers, on this machine" if not zh
                                                   else "内置生成器，本机完成")),
        ScheduleLine("cut + master + QC" if not zh else "剪辑、母版与质检", 0.5, "film.mp4, subtitles, cover"
                     if not zh else "成片、字幕、封面"),
        ScheduleLine("client review" if not zh else "客户审看", 1.0, "one round of notes" if not zh
                     else "一轮修改意见"),
    ]
    return lines


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return out


def _backend(writer: Any) -> Any:
    if writer is None:
        return None
    backend = getattr(writer, "backend", None)
    if backend is not None and hasattr(backend, "complete"):
        return backend
    return writer if hasattr(writer, "complete") else None


def _writer_notes(brief: Brief, backend: Any, context: str) -> list[str]:
    from microfilm.providers.llm.schemas import Research
    from microfilm.providers.llm.structured import generate

    zh = brief.language == "zh"
    system = ("You are a development producer for micro films (微电影). You answer with one "
              "JSON object matching the schema. "
              + ("Write in Simplified Chinese." if zh else "Write in English."))
    prompt = "\n".join([
        "Task: research",
        context,
        "Reason about this brief for the team: how the brand appears naturally (empty if no "
        "brand), the tone, references worth studying and why, risks on this platform, and "
        "three hooks for the first three seconds. Be specific to this brief; 2-5 items each.",
    ])
    result = generate(backend, Research, name="research", system=system, prompt=prompt,
                      attempts=2, max_tokens=2000)
    r = result.value
    heads = (("品牌植入", "语气", "参考", "风险", "开场钩子") if zh else
             ("Brand integration", "Tone", "References", "Risks", "Hooks"))
    out: list[str] = []
    for head, items in zip(heads, (r.brand_integration, r.tone, r.references, r.risks, r.hooks)):
        if items:
            out += [f"**{head}**", ""] + [f"- {x}" for x in items] + [""]
    return out


def write_research(brief: Brief, *, writer: Any = None,
                   providers_estimate: Sequence[ProviderEstimate] | None = None) -> str:
    """The dossier as Markdown, in the brief's language."""
    lang = "zh" if brief.language == "zh" else "en"
    t = _T[lang]
    zh = lang == "zh"
    p = brief.preset
    notes = knowledge.genre_notes(brief.genre, lang)
    plat = platforms.get(brief.platform)
    body = max(10.0, brief.duration - form.TITLE_CARD_S - form.CREDITS_CARD_S)
    out: list[str] = [f"# {t['title']}: {brief.title}", ""]

    # the brief
    rows = [["Logline" if not zh else "故事梗概", brief.logline],
            [t["genre"], f"{p.name_en} / {p.name_zh}"],
            ["Language" if not zh else "语言", brief.language],
            ["Target runtime" if not zh else "目标时长", form.format_clock(brief.duration)],
            ["Aspect" if not zh else "画幅", f"{brief.aspect} ({brief.size[0]}x{brief.size[1]})"],
            [t["platform"], plat.name(lang)]]
    if brief.audience:
        rows.append([t["audience"], brief.audience])
    if brief.brand:
        rows.append(["Brand" if not zh else "品牌", brief.brand])
    if brief.deadline:
        rows.append(["Deadline" if not zh else "交付日期", brief.deadline.isoformat()])
    out += [f"## {t['brief']}", ""] + _table([t["spec"], t["value"]], rows) + [""]

    # genre
    out += [f"## {t['genre']}: {p.name_zh if zh else p.name_en}", "", f"### {t['conventions']}", ""]
    out += [f"- {c}" for c in notes.conventions]
    shot_s = f"{p.mean_shot_s:g}"
    out += ["", (f"节奏：平均每镜约{shot_s}秒；音乐情绪：{p.music_mood}，{p.tempo_bpm} BPM；"
                 f"场景转换：{p.transition}。") if zh else
            (f"Pacing: about {shot_s} s a shot; music: {p.music_mood}, {p.tempo_bpm} BPM; "
             f"scene transitions: {p.transition}."), ""]
    out += [f"### {t['beats']}", ""]
    out += _table([t["beat"], t["share"], t["seconds"], t["what"]],
                  [[b.name, f"{b.share:.0%}", f"{b.share * body:.0f}", b.description]
                   for b in notes.beats])
    out += ["", f"### {t['references']}", ""] + [f"- {r}" for r in notes.references]
    out += ["", f"### {t['pitfalls']}", ""] + [f"- {x}" for x in notes.pitfalls]
    if brief.brand:
        out += ["", f"### {t['brand']}", "", notes.brand]
    out += [""]

    # audience
    aud = knowledge.audience_notes(brief.audience, lang)
    out += [f"## {t['audience']}", ""]
    if brief.audience:
        out += [f"{brief.audience}", ""]
    out += [f"- {n}" for n in aud.notes] + [""]

    # platform
    sa = plat.safe_area
    box = platforms.safe_area(plat.id, *brief.size).box(*brief.size)
    prow = [
        ["Aspects" if not zh else "画幅", ", ".join(plat.aspects)],
        ["Upload size" if not zh else "上传尺寸", f"{plat.resolution[0]}x{plat.resolution[1]}"],
        ["Longest upload" if not zh else "单条最长", form.format_clock(plat.max_duration_s)],
        ["Best completion" if not zh else "完播最佳区间",
         f"{form.format_clock(plat.sweet_spot_s[0])}-{form.format_clock(plat.sweet_spot_s[1])}"],
        ["UI safe area at 1080x1920" if not zh else "界面安全区（1080x1920）",
         (f"top {sa.top}, bottom {sa.bottom}, left {sa.left}, right {sa.right} px" if not zh else
          f"上 {sa.top}、下 {sa.bottom}、左 {sa.left}、右 {sa.right} 像素")],
        ["Safe box on this film" if not zh else "本片安全框",
         f"x={box[0]} y={box[1]} {box[2]}x{box[3]}"],
        ["Covers" if not zh else "封面",
         "; ".join(f"{c.name} {c.width}x{c.height}" for c in plat.covers)],
    ]
    out += [f"## {t['platform']}: {plat.name(lang)}", ""] + _table([t["spec"], t["value"]], prow)
    out += ["", plat.notes(lang), ""]
    fit = plat.fit(brief.duration, brief.aspect, lang)
    out += [f"- ⚠ {x}" for x in fit] + ([""] if fit else [])
    out += [("（平台规格读取于 " if zh else "(Platform specs as read on ")
            + platforms.READ_ON.isoformat() + ("；发布前请在手机上核对。）" if zh else
                                               "; verify on a phone before launch.)"), ""]

    # the form
    shots = max(1, round(body / p.mean_shot_s))
    words = round(body * 0.5 * form.SPEECH_RATE[brief.language])
    out += [f"## {t['form']}", ""]
    if zh:
        out += [
            f"- 上限 10:00（含片头片尾）；本片目标 {form.format_clock(brief.duration)}，"
            f"允许 ±15%（{form.format_clock(brief.duration * 0.85)}-"
            f"{form.format_clock(min(form.MAX_DURATION_S, brief.duration * 1.15))}）。",
            f"- 片头 {form.TITLE_CARD_S:g} 秒、片尾字幕 {form.CREDITS_CARD_S:g} 秒，正片约 {body:.0f} 秒，约 {shots} 个镜头。",
            f"- 对白以每秒 {form.SPEECH_RATE['zh']:g} 字计；若一半时长是对白，约 {words} 字。",
            "- 五要素必须齐全：时间、地点、人物、主题、情节（剧本首页写明 Time、Theme、Logline）。",
            f"- 竖屏 {brief.size[0]}x{brief.size[1]}，30 fps；字幕须在平台安全区内；AI 生成内容须显式与隐式标识。",
        ]
    else:
        out += [
            f"- Cap 10:00 including titles and credits; this film aims at "
            f"{form.format_clock(brief.duration)}, within 15% "
            f"({form.format_clock(brief.duration * 0.85)}-"
            f"{form.format_clock(min(form.MAX_DURATION_S, brief.duration * 1.15))}).",
            f"- Title card {form.TITLE_CARD_S:g} s and credits {form.CREDITS_CARD_S:g} s leave "
            f"about {body:.0f} s of story, about {shots} shots.",
            f"- Dialogue at {form.SPEECH_RATE['en']:g} words a second: if half the film is "
            f"talk, about {words} words.",
            "- The five elements must be there: time, place, characters, theme and plot (the "
            "script's title page carries Time, Theme and Logline).",
            f"- {brief.size[0]}x{brief.size[1]} at 30 fps; subtitles inside the platform's safe "
            "area; AI-generated content labelled visibly and in the file's metadata.",
        ]
    out += [""]

    # budget and schedule
    currency = brief.budget.currency
    out += [f"## {t['estimate']}", ""]
    estimate = list(providers_estimate) if providers_estimate is not None else [
        (cap, getattr(brief.providers, cap), None) for cap in
        ("writer", "painter", "animator", "voice", "composer")]
    total = 0.0
    rows = []
    paid: dict[str, bool] = {}
    for cap, pid, cost in estimate:
        amount = _cost_in(cost, currency)
        total += amount
        paid[cap] = paid.get(cap, False) or amount > 0
        if cost is not None:
            shown = _fmt_money(amount, currency)
        else:
            shown = t["free"] if str(pid).startswith("house-") else "—"
        rows.append([cap, pid, shown])
    rows.append(["**total**" if not zh else "**合计**", "", f"**{_fmt_money(total, currency)}**"])
    out += _table([t["capability"], t["provider"], t["cost"]], rows) + [""]
    budget = brief.budget.amount
    if budget > 0:
        left = budget - total
        out += [(f"预算 {_fmt_money(budget, currency)}，预计剩余 {_fmt_money(left, currency)}。" if zh
                 else f"Budget {_fmt_money(budget, currency)}; about {_fmt_money(left, currency)} left.")
                + ("" if left >= 0 else (" ⚠ 超出预算：请换用更便宜的服务或缩短时长。" if zh else
                                         " ⚠ Over budget: choose cheaper providers or shorten the film."))]
    elif total > 0:
        out += ["⚠ 需求未设预算（0），付费服务将被拒绝；请在 film.toml 设置 budget.amount。" if zh else
                "⚠ The brief has no budget (0), so paid providers will be refused; set budget.amount in film.toml."]
    else:
        out += ["全部使用内置服务：无费用，可离线完成。" if zh else
                "Embedded providers only: no spend, works offline."]
    sched = estimate_schedule(brief, paid)
    days = sum(s.days for s in sched)
    out += [""] + _table([t["stage"], t["days"], t["note"]], [[s.stage, f"{s.days:g}", s.note] for s in sched])
    out += ["", (f"合计约 {days:g} 个工作日。" if zh else f"About {days:g} working days in all.")]
    if brief.deadline:
        left_days = (brief.deadline - date.today()).days
        ok = left_days >= days
        out += [(f"距交付 {left_days} 天" if zh else f"{left_days} day(s) to the deadline")
                + ("。" if ok and zh else "." if ok else
                   ("，⚠ 时间不足：请精简镜头或提前审看。" if zh else
                    "; ⚠ not enough: cut shots or review earlier."))]
    out += [""]

    # the writer's reasoning
    backend = _backend(writer)
    if backend is not None:
        context = "\n".join(out)
        out += [f"## {t['writer']}", ""]
        try:
            out += _writer_notes(brief, backend, context)
        except ProviderError as exc:
            log.warning("research: the writer's notes failed: %s", exc)
            out += [("（编剧笔记未能生成：" if zh else "(The writer's notes could not be produced: ")
                    + str(exc).splitlines()[0] + ("）" if zh else ")"), ""]
    return "\n".join(out).rstrip() + "\n"
