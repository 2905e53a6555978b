"""Where a micro film is published, and what each platform asks of it.

Each platform is typed, frozen data: the aspects it plays well, its upload resolution, its
length limits, the UI safe area (pixel margins at 1080x1920 that the app's buttons,
captions and tabs cover) and its cover sizes. Research quotes these, the master keeps
burned-in subtitles inside the safe area, and publish makes the covers.

The figures were read on READ_ON from the platforms' creator guides and public spec
summaries; apps change their chrome often, so they are starting margins to verify on a
phone before a launch, not guarantees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from microfilm import form
from microfilm.media.subtitles import SafeArea

READ_ON = date(2026, 11, 25)
REFERENCE_SIZE = (1080, 1920)


@dataclass(frozen=True)
class CoverSize:
    name: str
    width: int
    height: int
    note: str = ""

    @property
    def aspect(self) -> str:
        from math import gcd

        g = gcd(self.width, self.height)
        return f"{self.width // g}:{self.height // g}"


@dataclass(frozen=True)
class Platform:
    id: str
    name_en: str
    name_zh: str
    region: str  # "cn" | "global"
    aspects: tuple[str, ...]  # best first
    resolution: tuple[int, int]  # upload size for the first aspect
    max_duration_s: float  # longest regular upload from the app
    sweet_spot_s: tuple[float, float]  # where completion rates are best, per creator guides
    safe_area: SafeArea
    covers: tuple[CoverSize, ...]
    notes_en: str = ""
    notes_zh: str = ""

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh" else self.name_en

    def notes(self, language: str) -> str:
        return self.notes_zh if language == "zh" else self.notes_en

    def fit(self, duration_s: float, aspect: str, language: str = "en") -> list[str]:
        """What about a film of this length and aspect does not suit the platform."""
        zh = language == "zh"
        clock = form.format_clock
        problems = []
        if duration_s > self.max_duration_s:
            problems.append(
                f"{self.name_zh}单条最长 {clock(self.max_duration_s)}；{clock(duration_s)} 的影片"
                "需要剪短版或分集发布" if zh else
                f"{self.name_en} takes at most {clock(self.max_duration_s)} per upload; a "
                f"{clock(duration_s)} film needs a shorter cut or a series")
        if aspect not in self.aspects:
            problems.append(
                f"{self.name_zh}适合 {', '.join(self.aspects)}；{aspect} 会被加黑边或裁切" if zh else
                f"{self.name_en} plays {', '.join(self.aspects)}; {aspect} will be letterboxed "
                "or cropped")
        lo, hi = self.sweet_spot_s
        if not lo <= duration_s <= hi and duration_s <= self.max_duration_s:
            problems.append(
                f"{self.name_zh}完播率在 {clock(lo)}-{clock(hi)} 最好；开头3秒要有强钩子" if zh else
                f"{self.name_en} completion rates are best at {clock(lo)}-{clock(hi)}; plan a "
                "strong hook in the first 3 s")
        return problems


_V = (1080, 1920)

PLATFORMS: dict[str, Platform] = {
    "douyin": Platform(
        "douyin", "Douyin", "抖音", "cn", ("9:16", "16:9", "1:1"), _V, 15 * 60, (15, 180),
        SafeArea(top=160, bottom=440, left=60, right=160),
        (CoverSize("feed", 1080, 1920, "full-screen cover"),
         CoverSize("profile grid", 1080, 1440, "3:4 crop shown on the profile page")),
        "Recommendation feed; the first 3 seconds decide the reach. Long uploads beyond the "
        "app limit need the desktop creator service. AI-generated content must be labelled.",
        "推荐流分发，前3秒决定完播与流量；超出App上限的长视频需用创作者服务中心上传。"
        "AI生成内容须添加标识。",
    ),
    "kuaishou": Platform(
        "kuaishou", "Kuaishou", "快手", "cn", ("9:16", "16:9"), _V, 15 * 60, (15, 180),
        SafeArea(top=170, bottom=420, left=60, right=150),
        (CoverSize("feed", 1080, 1920), CoverSize("double-column grid", 1080, 1440, "3:4")),
        "Two-column discovery page shows the 3:4 cover first: the title must read at thumbnail "
        "size. Audiences in lower-tier cities; plain, warm storytelling travels well.",
        "双列发现页先展示3:4封面，标题要在缩略图上看得清；下沉市场用户多，朴实温情的叙事更易传播。",
    ),
    "channels": Platform(
        "channels", "WeChat Channels", "微信视频号", "cn", ("9:16", "16:9", "1:1"), _V,
        30 * 60, (30, 300),
        SafeArea(top=200, bottom=360, left=60, right=130),
        (CoverSize("feed", 1080, 1920), CoverSize("cover crop", 1080, 1440, "3:4")),
        "Spreads through friends' likes and group chats: older, family audiences; brand "
        "films can link to official accounts and mini programs.",
        "依托社交关系链（点赞、转发到群）传播，中老年与家庭用户多；品牌片可挂公众号与小程序。",
    ),
    "bilibili": Platform(
        "bilibili", "Bilibili", "哔哩哔哩", "cn", ("16:9", "9:16"), (1920, 1080), 2 * 3600,
        (120, 600),
        SafeArea(top=180, bottom=330, left=60, right=140),
        (CoverSize("video cover", 1146, 717, "16:10, at least 960x600"),
         CoverSize("vertical cover", 1080, 1440, "3:4 for the vertical feed")),
        "Landscape-first site with a vertical feed; young, ACG-literate audience that rewards "
        "craft and longer stories; danmaku (bullet comments) cover the top of the frame.",
        "以横屏为主、兼有竖屏流；年轻、二次元素养高的用户，重视制作与完整叙事；弹幕会覆盖画面上部。",
    ),
    "tiktok": Platform(
        "tiktok", "TikTok", "TikTok", "global", ("9:16", "1:1", "16:9"), _V, 10 * 60, (15, 90),
        SafeArea(top=130, bottom=480, left=60, right=140),
        (CoverSize("feed", 1080, 1920), CoverSize("profile grid", 1080, 1440, "3:4")),
        "For You feed; hooks in the first second; captions and the right-hand rail cover the "
        "bottom quarter and the right edge.",
        "For You 推荐流；第一秒就要有钩子；文案与右侧按钮栏会覆盖底部四分之一和右缘。",
    ),
    "reels": Platform(
        "reels", "Instagram Reels", "Instagram Reels", "global", ("9:16",), _V, 3 * 60, (15, 90),
        SafeArea(top=269, bottom=672, left=65, right=65),
        (CoverSize("reel cover", 1080, 1920), CoverSize("profile grid", 1080, 1440, "3:4")),
        "Reels run up to 3:00; longer films need a trailer cut. Meta asks to keep the top 14%, "
        "bottom 35% and 6% each side clear.",
        "Reels 最长3分钟，更长的片子需剪预告版；Meta 建议避开顶部14%、底部35%和两侧各6%。",
    ),
    "shorts": Platform(
        "shorts", "YouTube Shorts", "YouTube Shorts", "global", ("9:16", "1:1"), _V, 3 * 60,
        (15, 60),
        SafeArea(top=240, bottom=480, left=60, right=190),
        (CoverSize("shorts frame", 1080, 1920, "picked from a frame in the app"),),
        "Shorts run up to 3:00; a longer film belongs on the main channel with a Shorts teaser "
        "linking to it.",
        "Shorts 最长3分钟；更长的片子应发主频道，用 Shorts 预告引流。",
    ),
    "generic": Platform(
        "generic", "Generic vertical", "通用竖屏", "global", tuple(form.ASPECTS), _V,
        form.MAX_DURATION_S, (30, form.MAX_DURATION_S),
        SafeArea(top=96, bottom=96, left=54, right=54),
        (CoverSize("cover", 1080, 1920),),
        "No platform chosen: a 5% title-safe margin on every side.",
        "未指定平台：四边各留5%的字幕安全区。",
    ),
}


def get(platform_id: str) -> Platform:
    try:
        return PLATFORMS[platform_id]
    except KeyError:
        raise ValueError(f"unknown platform {platform_id!r}; allowed: {', '.join(PLATFORMS)}") from None


def safe_area(platform_id: str, width: int = 1080, height: int = 1920) -> SafeArea:
    """The platform's safe margins on a frame of width x height (for subtitles, titles)."""
    return get(platform_id).safe_area.scaled(width, height, REFERENCE_SIZE)
