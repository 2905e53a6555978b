"""The light and the sound of a shot, in words, from the place, the hour and the action.

Why here: light and sound notes are read by people (the storyboard) and by models that make
pictures and sound; they must come from the scene (INT/EXT, time of day, props, what happens),
never from the action text pasted into the sound field.
"""

from __future__ import annotations

import re

from microfilm.direction.phrases import phrases
from microfilm.direction.staging import SceneStaging

_TIMES = (("dawn", ("dawn", "sunrise", "daybreak", "清晨", "黎明", "拂晓", "破晓")),
          ("dusk", ("dusk", "sunset", "evening", "twilight", "黄昏", "傍晚", "日落", "夕阳")),
          ("night", ("night", "midnight", "late", "夜", "晚上", "深夜", "午夜", "凌晨", "晚")),
          ("day", ("day", "noon", "afternoon", "morning", "continuous", "日", "白天", "中午", "下午",
                   "上午", "早上", "午")))

LIGHT = {
    (True, "day"): "soft daylight through the window, gentle fill",
    (True, "dusk"): "fading amber window light, first lamps on",
    (True, "night"): "warm practical lamp light, deep soft shadows",
    (True, "dawn"): "cool pale light at the window, lamps off",
    (False, "day"): "natural daylight, soft shadows",
    (False, "dusk"): "low golden sun, long shadows, orange sky",
    (False, "night"): "streetlights and a dark blue sky, pools of warm light",
    (False, "dawn"): "cool blue dawn light, mist, the sky paling",
}
LIGHT_ZH = {
    (True, "day"): "窗外柔和的日光",
    (True, "dusk"): "渐暗的暖色窗光，台灯初亮",
    (True, "night"): "温暖的台灯光，柔和的深影",
    (True, "dawn"): "窗边清冷的晨光",
    (False, "day"): "自然日光，柔和阴影",
    (False, "dusk"): "低垂的金色夕阳，长长的影子",
    (False, "night"): "路灯与深蓝夜空，一圈圈暖光",
    (False, "dawn"): "清冷的蓝色晨光，薄雾",
}
# ambience by the kind of place the heading names (first match wins): words -> phrases key
AMBIENCE = (
    (("bus", "train", "subway", "metro", "车", "地铁", "火车"), "vehicle"),
    (("kitchen", "厨房"), "kitchen"),
    (("cafe", "café", "restaurant", "diner", "shop", "store", "bar", "店", "馆", "餐厅"), "shop"),
    (("office", "公司", "办公"), "office"),
    (("classroom", "school", "教室", "学校"), "school"),
    (("hospital", "ward", "医院", "病房"), "hospital"),
    (("street", "road", "city", "alley", "market", "街", "路", "城", "巷", "市场"), "street"),
    (("stop", "station", "platform", "站"), "station"),
    (("river", "lake", "sea", "beach", "shore", "河", "湖", "海", "江"), "water"),
    (("mountain", "hill", "field", "village", "farm", "山", "田", "村"), "country"),
    (("park", "garden", "courtyard", "yard", "园", "院"), "park"),
    (("rooftop", "roof", "天台", "楼顶"), "rooftop"),
)
# effects the action makes: pattern, the prop it needs on screen (or None), phrases key
EFFECTS = (
    (re.compile(r"\b(?:rings?|ringing|buzz(?:es|ing)?|vibrat\w*)\b|响|震动", re.I), "phone", "phone"),
    (re.compile(r"\b(?:rain\w*|storm|drizzle)\b|雨", re.I), None, "rain"),
    (re.compile(r"\b(?:knock\w*)\b|敲门", re.I), None, "knock"),
    (re.compile(r"\b(?:footsteps?|runs?|running)\b|脚步|跑", re.I), None, "steps"),
    (re.compile(r"\b(?:bus (?:pulls|arrives|stops|leaves)|engine)\b|车来|公交车", re.I), None, "bus"),
    (re.compile(r"\b(?:wind)\b|风", re.I), None, "wind"),
    (re.compile(r"\b(?:steam\w*|boil\w*|sizzl\w*)\b|蒸|煮|锅", re.I), None, "boil"),
    (re.compile(r"\b(?:laugh\w*)\b|笑声", re.I), None, "laugh"),
    (re.compile(r"\b(?:applause|claps?|cheer\w*)\b|掌声|欢呼", re.I), None, "applause"),
)
OUTDOOR_ONLY = {"park", "country", "water", "rooftop", "street", "station"}


def time_class(time_of_day: str) -> str:
    """day | dusk | night | dawn from a heading's time words ('' is day)."""
    t = time_of_day.casefold()
    for name, words in _TIMES:
        if any(w in t for w in words):
            return name
    return "day"


def light_for(interior: bool, time: str, lang: str = "en") -> str:
    table = LIGHT_ZH if lang == "zh" else LIGHT
    return table.get((interior, time), table[(interior, "day")])


def sound_for(st: SceneStaging, action: str, props: list[str], lang: str = "en") -> str:
    """Ambience of the place plus the effects the action makes: never the action's words."""
    ph = phrases(lang)
    place = st.place.casefold()
    notes = [ph.ambience[amb] for words, amb in AMBIENCE if any(w in place for w in words)
             and (not st.interior or amb not in OUTDOOR_ONLY)][:1]
    if not notes:
        notes = [ph.room_tone if st.interior else ph.outdoor]
    tc = time_class(st.time_of_day)
    if tc != "day":
        notes.append(ph.quiet[tc])
    for pattern, needs, effect in EFFECTS:
        if pattern.search(action) and (needs is None or needs in props) and ph.effects[effect] not in notes:
            notes.append(ph.effects[effect])
    return ph.sound_sep.join(notes)
