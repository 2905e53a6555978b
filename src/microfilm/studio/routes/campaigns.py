"""/campaigns: the campaigns `microfilm batch` made, each with its variants, their state and
their films.

The studio shows the campaign folders under its home's campaigns/ (a folder there, or a
link to one: `ln -s ~/work/umbrella-campaign ~/.local/share/microfilm/campaigns/`). It reads
each one's campaign.json (microfilm.campaign.status), never the pipeline's state. Only
the names campaign.json lists and a fixed set of file names reach the file system.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import FileResponse

from microfilm.campaign import status as campaign_status
from microfilm.studio.thumbs import thumbnail
from microfilm.studio.web import Ctx, page_ctx, render

router = APIRouter()

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}$")
FILES = {"film.mp4": "video/mp4", "cover-a.png": "image/png", "cover-b.png": "image/png",
         "qc.json": "application/json", "film.srt": "text/plain; charset=utf-8"}
THUMBS = {"cover-a.jpg": "cover-a.png", "cover-b.jpg": "cover-b.png"}  # the page's small covers
LABELS = {
    "en": {"title": "Campaigns", "empty": "No campaign yet. Make one with `microfilm batch "
           "campaign.toml`, then link its folder into {home}.", "variants": "variants",
           "variant": "Variant", "platform": "Platform", "aspect": "Aspect", "cut": "Cut",
           "language": "Language", "state": "State", "length": "Length", "qc": "QC",
           "reused": "From the base's store", "made": "Made", "covers": "Covers", "film": "Film",
           "watch": "Watch", "passed": "passed", "failed": "failed", "spent": "Paid",
           "estimate": "Estimate", "alone": "if nothing were shared", "time": "Time",
           "base": "Base film", "waiting": "waiting", "making": "making", "done": "done",
           "cap": "cap", "uptodate": "up to date"},
    "zh": {"title": "投放计划", "empty": "还没有投放计划。用 `microfilm batch campaign.toml` 生成，"
           "再把文件夹链接到 {home}。", "variants": "个版本", "variant": "版本", "platform": "平台",
           "aspect": "画幅", "cut": "剪辑", "language": "语言", "state": "状态", "length": "时长",
           "qc": "质检", "reused": "复用母片素材", "made": "新做", "covers": "封面", "film": "成片",
           "watch": "观看", "passed": "通过", "failed": "未通过", "spent": "已花费",
           "estimate": "预估", "alone": "若不共享素材", "time": "用时", "base": "母片",
           "waiting": "等待", "making": "制作中", "done": "完成", "cap": "上限",
           "uptodate": "已是最新"},
}


def _root(ctx: Ctx) -> Path:
    return ctx.request.app.state.settings.home.expanduser() / "campaigns"


def _labels(ctx: Ctx) -> dict[str, str]:
    return LABELS.get(ctx.lang, LABELS["en"])


def _campaign(ctx: Ctx, name: str) -> tuple[Path, campaign_status.CampaignStatus]:
    if not NAME.match(name):
        raise HTTPException(404)
    folder = _root(ctx) / name
    found = campaign_status.read(folder) if folder.is_dir() else None
    if found is None:
        raise HTTPException(404)
    return folder, found


@router.get("/campaigns")
def campaigns(ctx: Ctx = Depends(page_ctx)):
    ctx.require_user()
    root = _root(ctx)
    rows = []
    for folder in sorted(root.iterdir()) if root.is_dir() else ():
        found = campaign_status.read(folder) if NAME.match(folder.name) and folder.is_dir() else None
        if found is not None:
            rows.append({"slug": folder.name, "status": found})
    return render(ctx, "campaigns.html", rows=rows, campaign=None, L=_labels(ctx),
                  home=str(root))


@router.get("/campaigns/{name}")
def campaign_page(name: str, ctx: Ctx = Depends(page_ctx)):
    ctx.require_user()
    folder, found = _campaign(ctx, name)
    films = {v.name: (folder / v.folder / "out" / "film.mp4").is_file() for v in found.variants}
    return render(ctx, "campaigns.html", rows=[], campaign=found, slug=name, films=films,
                  L=_labels(ctx), home="")


@router.get("/campaigns/{name}/{variant}/{file}")
def variant_file(name: str, variant: str, file: str, ctx: Ctx = Depends(page_ctx)):
    ctx.require_user()
    folder, found = _campaign(ctx, name)
    listed = {v.name: v for v in found.variants}
    if variant not in listed or (file not in FILES and file not in THUMBS):
        raise HTTPException(404)
    path = folder / listed[variant].folder / "out" / THUMBS.get(file, file)
    if not path.is_file() or not path.resolve().is_relative_to(folder.resolve()):
        raise HTTPException(404)
    if file in THUMBS:
        thumb = thumbnail(path, ctx.request.app.state.settings.thumbs, width=240)
        if thumb is None:
            raise HTTPException(404, "the image does not decode")
        return FileResponse(thumb, media_type="image/jpeg")
    return FileResponse(path, media_type=FILES[file])
