"""Places as illustrated sets: where a shot happens, at what hour, in what weather.

Why a module of its own: the painter's backgrounds are read from words (the location's
name, its motifs, the shot prompt, the time of day; English and Chinese) into a typed
`Setting`, then built in one consistent space. A tiny pinhole camera (fixed focal length,
eye-level by default) places everything: the framing decides how far the camera stands
from the characters, so a close-up sees the same window, larger and softer, that a wide
shot sees small. The layout of a place (where its window, lamp post or bus stop is) comes
from the location alone, so every shot of one place shows the same set; the shot's seed and
prompt only move the camera a little.

Everything is drawn as vector shapes through a supersampled `Pen` or as numpy passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from microfilm.providers.house.drawing import (
    RGB,
    Pen,
    luma,
    mix,
    rng_for,
    scale_rgb,
    smooth_noise,
    vertical_gradient,
)

# ---- words -----------------------------------------------------------------------------

INTERIOR_WORDS = (
    "int.", "interior", "inside", "indoors", "room", "kitchen", "bedroom", "living room", "home",
    "apartment", "flat", "office", "classroom", "cafe", "café", "coffee shop", "restaurant",
    "shop", "store", "bar", "hospital", "ward", "library", "studio", "hall", "corridor",
    "dormitory", "dorm", "室", "屋", "房", "厨房", "客厅", "卧室", "教室", "办公", "店", "馆",
    "餐厅", "病房", "医院", "宿舍", "家中", "屋里", "屋内", "家里", "堂", "阁", "家", "house",
    "night bus", "on the bus", "bus ride", "train", "carriage", "subway", "metro", "cabin",
    "大巴", "车厢", "车上", "车内", "列车", "地铁", "高铁", "火车上",
)
EXTERIOR_WORDS = (
    "ext.", "exterior", "outside", "outdoors", "street", "road", "stop", "station", "platform",
    "park", "mountain", "hill", "river", "lake", "sea", "beach", "shore", "field", "farm",
    "village", "town", "rooftop", "roof", "bridge", "garden", "yard", "courtyard", "alley",
    "square", "plaza", "market", "forest", "woods", "campus", "playground", "sky", "街", "路",
    "站", "公园", "山", "河", "湖", "海", "田", "村口", "镇", "天台", "楼顶", "桥", "院子", "巷",
    "广场", "市场", "森林", "树林", "操场", "门口", "江", "亭", "野", "郊", "岸", "码头",
)
INTERIOR_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("vehicle", ("night bus", "on the bus", "bus ride", "bus", "train", "carriage", "subway", "metro",
                 "大巴", "车厢", "车上", "车内", "列车", "地铁", "高铁", "火车", "公交车上")),
    ("kitchen", ("kitchen", "stove", "厨房", "灶", "锅")),
    ("classroom", ("classroom", "blackboard", "教室", "黑板", "课堂")),
    ("office", ("office", "desk", "computer", "laptop", "办公", "电脑", "工位", "公司")),
    ("cafe", ("cafe", "café", "coffee", "restaurant", "diner", "noodle", "shop", "store", "bar",
              "餐厅", "饭馆", "面馆", "咖啡", "店", "小馆", "酒馆", "茶馆")),
    ("bedroom", ("bedroom", "hospital", "ward", "bed", "卧室", "医院", "病房", "床", "宿舍")),
)
EXTERIOR_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("busstop", ("bus stop", "bus", "station", "platform", "公交", "车站", "站台", "站牌")),
    ("rooftop", ("rooftop", "roof", "天台", "楼顶")),
    ("water", ("river", "lake", "sea", "beach", "shore", "harbour", "harbor", "pier", "河", "湖",
               "海", "江", "滩", "岸", "码头")),
    ("mountain", ("mountain", "hill", "peak", "cliff", "valley", "山", "峰", "崖", "谷")),
    ("country", ("village", "town", "field", "farm", "countryside", "rural", "村", "镇", "田",
                 "乡", "老家")),
    ("park", ("park", "garden", "yard", "courtyard", "campus", "playground", "forest", "woods",
              "公园", "花园", "院", "校园", "操场", "树林", "森林", "亭")),
    ("street", ("street", "road", "city", "alley", "market", "square", "plaza", "downtown",
                "街", "路", "城", "巷", "市", "广场")),
)
TIME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dawn", ("dawn", "sunrise", "daybreak", "early morning", "清晨", "黎明", "日出", "拂晓", "破晓")),
    ("dusk", ("dusk", "sunset", "evening", "twilight", "golden hour", "黄昏", "傍晚", "日落",
              "夕阳", "晚霞")),
    ("night", ("night", "midnight", "late", "nighttime", "夜", "晚上", "深夜", "午夜", "凌晨", "晚")),
    ("day", ("day", "noon", "afternoon", "morning", "daytime", "日", "白天", "中午", "下午", "上午",
             "早上", "午")),
)
PROP_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("window", ("window", "窗")),
    ("table", ("table", "dinner", "meal", "dumpling", "桌", "餐", "饭", "饺子")),
    ("lamp", ("lamp", "light", "lantern", "灯")),
    ("lantern", ("lantern", "灯笼")),
    ("rain", ("rain", "storm", "drizzle", "雨")),
    ("snow", ("snow", "雪")),
    ("city", ("city lights", "city", "skyline", "neon", "downtown", "城市", "霓虹", "高楼", "都市")),
    ("busstop", ("bus stop", "bus", "公交", "车站", "站牌")),
    ("bench", ("bench", "长椅", "长凳")),
    ("tree", ("tree", "willow", "树", "柳")),
    ("willow", ("willow", "柳")),
    ("moon", ("moon", "月")),
    ("stars", ("star", "星")),
    ("steam", ("steam", "dumpling", "noodle", "soup", "tea", "pot", "蒸", "热气", "饺子", "面",
               "汤", "茶", "锅")),
    ("clock", ("clock", "钟")),
    ("photo", ("photo", "picture", "portrait", "照片", "相框", "相片", "画")),
    ("plant", ("plant", "flower", "花", "盆栽", "绿植")),
    ("shelf", ("shelf", "book", "书", "架")),
    ("door", ("door", "门")),
    ("bed", ("bed", "床")),
    ("sofa", ("sofa", "couch", "沙发")),
    ("petals", ("cherry", "blossom", "petal", "sakura", "樱", "花瓣", "桃花")),
    ("umbrella", ("umbrella", "伞")),
    ("phone", ("phone", "手机")),
    ("bicycle", ("bicycle", "bike", "自行车", "单车")),
    ("pavilion", ("pavilion", "亭")),
    ("boat", ("boat", "ship", "船")),
    ("birds", ("bird", "鸟", "雁")),
)


def _word_hit(word: str, text: str) -> bool:
    if word.isascii():
        return re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", text) is not None
    return word in text


def _count(text: str, words: tuple[str, ...]) -> int:
    return sum(1 for w in words if _word_hit(w, text))


def _first(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    for name, words in table:
        if any(_word_hit(w, text) for w in words):
            return name
    return None


@dataclass(frozen=True)
class Setting:
    """What a shot's words say about its place: inside or out, which kind, hour, weather."""

    interior: bool
    kind: str
    time: str  # day | dusk | night | dawn
    props: frozenset[str]
    genre: str
    place_key: str  # what the place's layout is seeded from

    @property
    def rain(self) -> bool:
        return "rain" in self.props

    @property
    def snow(self) -> bool:
        return "snow" in self.props

    @property
    def dark(self) -> bool:
        return self.time in ("night", "dusk")


_SAYS_INSIDE = re.compile(r"(?<![a-z])(?:interior|indoors|int\.)(?![a-z])|内景|室内")
_SAYS_OUTSIDE = re.compile(r"(?<![a-z])(?:exterior|outdoors|ext\.)(?![a-z])|外景|室外|户外")


def read_setting(location: str, motifs: tuple[str, ...], prompt: str, time_of_day: str,
                 genre: str) -> Setting:
    """Read the place from its words; the location and motifs count more than the prompt."""
    loc = f" {location} ".casefold()
    mot = " " + " ; ".join(motifs).casefold() + " "
    pro = f" {prompt} ".casefold()
    place = loc + mot
    everything = place + pro
    inside, outside = _SAYS_INSIDE.search(pro), _SAYS_OUTSIDE.search(pro)
    if bool(inside) != bool(outside):
        interior = bool(inside)  # the shot says where it is: "Interior, ..." / "外景"
    elif re.search(r"(?<![a-z])int\.", everything) and not re.search(r"(?<![a-z])ext\.", everything):
        interior = True
    elif re.search(r"(?<![a-z])ext\.", everything) and not re.search(r"(?<![a-z])int\.", everything):
        interior = False
    else:
        score = 2 * (_count(place, INTERIOR_WORDS) - _count(place, EXTERIOR_WORDS))
        score += _count(pro, INTERIOR_WORDS) - _count(pro, EXTERIOR_WORDS)
        interior = score > 0 if score != 0 else ("window" in mot or "窗" in mot)
    kinds = INTERIOR_KINDS if interior else EXTERIOR_KINDS
    kind = _first(place, kinds) or _first(pro, kinds) or ("home" if interior else (
        "mountain" if genre in ("aesthetic-scenery", "ancient-style") else "street"))
    tod = f" {time_of_day} ".casefold()
    time = _first(tod, TIME_WORDS) or _first(place, TIME_WORDS) or _first(pro, TIME_WORDS) or "day"
    props = {name for name, words in PROP_WORDS if any(_word_hit(w, place) for w in words)}
    props |= {name for name, words in PROP_WORDS
              if name in ("rain", "snow", "steam", "table", "umbrella", "phone", "petals", "lamp")
              and any(_word_hit(w, pro) for w in words)}
    if kind == "busstop":
        props.add("busstop")
    if genre == "ancient-style" and "lamp" in props:
        props.add("lantern")
    key = (location.strip() or kind).casefold()
    return Setting(interior=interior, kind=kind, time=time, props=frozenset(props), genre=genre,
                   place_key=key)


def _span(rng: np.random.Generator, low: float, high: float) -> float:
    """A uniform draw in [low, high]; a range that a tiny frame squeezes shut is `low`.

    Why: positions inside a window or a band are computed in pixels, and at a small size (a
    thumbnail, a 16 px test frame) the band can be narrower than its margins, which numpy
    refuses ("high - low < 0"). A painter must never crash on a size it accepts.
    """
    return float(rng.uniform(low, high)) if high > low else float(low)


# ---- framing and camera -------------------------------------------------------------

FRAMINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("extreme-close", ("extreme close", "extreme-close", "ecu", "大特写", "detail", "insert", "细节")),
    ("close", ("close-up", "close up", "closeup", "close", "cu", "特写", "近景", "近")),
    ("extreme-wide", ("extreme wide", "extreme-wide", "establishing", "aerial", "大远景", "远景",
                      "俯瞰", "航拍")),
    ("wide", ("wide", "long shot", "full shot", "full", "全景", "全身")),
    ("medium", ("medium", "two-shot", "two shot", "over-the-shoulder", "over the shoulder", "ots",
                "mid", "中景", "双人", "半身", "过肩")),
)


def read_framing(framing: str) -> str:
    """One of extreme-wide | wide | medium | close | extreme-close (medium if unknown)."""
    f = f" {framing} ".casefold()
    return _first(f, FRAMINGS) or "medium"


@dataclass(frozen=True)
class Camera:
    """A pinhole camera with a fixed lens: distance makes the framing, height the horizon.

    World units are head heights (hu); an adult is about 6.9 hu tall, so 1 hu is ~25 cm.
    The characters stand at distance `d`, on the ground (y = 0), around x = 0.
    """

    width: int
    height: int
    d: float  # distance to the characters, hu
    eye: float  # camera height above the ground, hu
    feet: float  # screen y of the characters' feet (may be below the frame)
    x: float = 0.0  # sideways camera offset, hu
    low: bool = False

    @property
    def focal(self) -> float:
        return float(self.height)

    @property
    def unit(self) -> float:
        """Pixels per head unit at the characters' distance."""
        return self.focal / self.d

    @property
    def horizon(self) -> float:
        return self.feet - self.eye * self.unit

    def scale(self, dist: float) -> float:
        return self.focal / max(dist, 0.05)

    def sx(self, x: float, dist: float) -> float:
        return self.width / 2 + (x - self.x) * self.scale(dist)

    def sy(self, y: float, dist: float) -> float:
        return self.horizon + (self.eye - y) * self.scale(dist)

    def pt(self, x: float, y: float, dist: float) -> tuple[float, float]:
        return (self.sx(x, dist), self.sy(y, dist))


# head height as a share of the frame height, the head top's target y, the camera height
_FRAME_TABLE = {
    "extreme-wide": (0.022, None, 13.0),
    "wide": (0.05, None, 6.2),
    "medium": (0.13, 0.2, 6.2),
    "close": (0.23, 0.19, 6.2),
    "extreme-close": (0.4, 0.11, 6.2),
}


def camera_for(width: int, height: int, framing: str, n_people: int, tallest_hu: float,
               jitter: np.random.Generator, low_angle: bool = False,
               spacing: float = 2.7) -> Camera:
    """The camera for a framing; the seed's jitter moves it a little (composition, not look).

    With two or more people side by side (`spacing` hu apart) the camera steps back until
    all of them fit the frame's width.
    """
    kind = read_framing(framing)
    share, top, eye = _FRAME_TABLE[kind]
    unit = share * height
    if n_people >= 2:
        unit = min(unit, 0.94 * width / ((n_people - 1) * spacing + 2.9))
    if top is None:
        feet = height * (0.86 if kind == "extreme-wide" else 0.84)
    else:
        feet = height * top + tallest_hu * unit
    feet += float(jitter.uniform(-0.015, 0.015)) * height
    d = height / unit
    eye = eye + float(jitter.uniform(-0.4, 0.4))
    if low_angle:
        eye = 2.2
    # the characters shift by at most this share of the frame width
    span = {"extreme-wide": 0.16, "wide": 0.1, "medium": 0.07, "close": 0.05}.get(kind, 0.03)
    x = float(jitter.uniform(-1.0, 1.0)) * span * width / unit
    return Camera(width=width, height=height, d=d, eye=eye, feet=feet, x=x, low=low_angle)


# ---- light ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mood:
    """The hour's colours: sky, ambient grade, practical lights and how much they glow."""

    sky: tuple[RGB, RGB, RGB]  # top, middle, at the horizon
    tint: RGB
    tint_amount: float
    practical: RGB  # lamps, windows at night
    glow: float  # 0 (noon) .. 1 (night): how strongly practical lights bloom
    ambient: float  # overall exposure multiplier for the set
    sun: RGB | None  # the sun's (or moon's) disc colour
    is_moon: bool


def mood_for(time: str, palette: tuple[RGB, ...], genre: str, interior: bool = False) -> Mood:
    """The hour's colours; indoors after dark the lamps, not the sky, set the tone."""
    m = _outdoor_mood(time, palette)
    if interior and time in ("night", "dusk"):
        warm = mix((255, 206, 156), palette[2], 0.25)
        return Mood(m.sky, warm, 0.2 if time == "night" else 0.14, m.practical, m.glow,
                    0.8 if time == "night" else 0.9, m.sun, m.is_moon)
    return m


def _outdoor_mood(time: str, palette: tuple[RGB, ...]) -> Mood:
    dark, mid, warm, accent, light = palette
    if time == "night":
        top = mix((14, 18, 40), dark, 0.5)
        return Mood((top, mix(top, (40, 52, 96), 0.6), mix((60, 66, 110), accent, 0.2)),
                    (120, 134, 196), 0.32, mix((255, 196, 120), warm, 0.3), 1.0, 0.62,
                    (240, 238, 220), True)
    if time == "dusk":
        return Mood((mix((52, 48, 104), dark, 0.3), mix((206, 116, 120), accent, 0.15),
                     mix((255, 190, 120), warm, 0.3)),
                    (255, 196, 156), 0.22, mix((255, 186, 110), warm, 0.3), 0.65, 0.86,
                    (255, 214, 150), False)
    if time == "dawn":
        return Mood((mix((120, 150, 200), accent, 0.2), (236, 196, 196), mix((255, 222, 186), light, 0.3)),
                    (255, 226, 214), 0.12, mix((255, 210, 160), warm, 0.3), 0.3, 0.95,
                    (255, 236, 200), False)
    return Mood((mix((96, 160, 222), accent, 0.18), mix((160, 204, 236), light, 0.15),
                 mix((226, 236, 240), light, 0.3)),
                (255, 250, 238), 0.05, mix((255, 220, 170), warm, 0.3), 0.12, 1.0,
                (255, 248, 226), False)


# ---- the set -------------------------------------------------------------------------


@dataclass
class Glow:
    x: float
    y: float
    radius: float
    colour: RGB
    strength: float
    squash: float = 1.0


@dataclass
class Set:
    """A place drawn for one camera: background now, foreground after the characters."""

    setting: Setting
    cam: Camera
    palette: tuple[RGB, ...]
    mood: Mood
    glows: list[Glow] = field(default_factory=list)
    occluders: list = field(default_factory=list)

    # -- helpers
    @property
    def W(self) -> int:
        return self.cam.width

    @property
    def H(self) -> int:
        return self.cam.height

    def lit(self, c: RGB, dist: float = 0.0, k: float = 1.0) -> RGB:
        """A surface colour under this hour: darkened at night, hazed with distance."""
        m = self.mood
        c = scale_rgb(c, m.ambient * k)
        c = mix(c, m.tint, m.tint_amount * 0.6)
        if dist > 0:
            haze = min(0.85, dist / (dist + 260.0))
            c = mix(c, self.mood.sky[2], haze)
        return c

    def layout(self, *parts: object) -> np.random.Generator:
        """The place's own randomness: the same set in every shot of the place."""
        return rng_for("set", self.setting.place_key, self.setting.kind, *parts)

    # -- background: numpy base
    def base(self) -> np.ndarray:
        W, H = self.W, self.H
        hz = self.cam.horizon
        if self.setting.interior:
            dark, mid, warm, accent, light = self.palette
            wall = self.wall_colour()
            top = scale_rgb(wall, 0.82)
            stops = [(0.0, top), (0.6, wall), (1.0, scale_rgb(wall, 0.9))]
            return vertical_gradient(W, H, stops)
        s_top, s_mid, s_hz = self.mood.sky
        h = max(hz, 1.0)
        p_hz = float(np.clip(h / H, 0.05, 1.0))
        stops = [(0.0, s_top), (p_hz * 0.55, s_mid), (p_hz, s_hz), (1.0, s_hz)]
        if p_hz >= 0.999:
            stops = [(0.0, s_top), (0.55, s_mid), (1.0, s_hz)]
        return vertical_gradient(W, H, stops)

    def wall_colour(self) -> RGB:
        dark, mid, warm, accent, light = self.palette
        rng = self.layout("wall")
        base = mix(light, mid, 0.22 + 0.12 * float(rng.random()))
        base = mix(base, warm, 0.18)
        if self.setting.kind == "classroom" or self.setting.kind == "bedroom":
            base = mix(base, (226, 232, 226), 0.4)
        if luma(base) < 0.45:
            base = mix(base, (236, 226, 210), 0.5)
        return self.lit(base)

    # -- background shapes
    def draw_back(self, pen: Pen) -> None:
        if self.setting.interior:
            self._room(pen)
        else:
            self._outdoors(pen)

    def draw_front(self, pen: Pen, rng: np.random.Generator) -> None:
        for draw in self.occluders:
            draw(pen)
        s = self.setting
        if s.rain:
            self._rain(pen, rng, heavy=not s.interior)
        if s.snow and not s.interior:
            self._snow(pen, rng)
        if "petals" in s.props and not s.interior:
            self._petals(pen, rng)

    # ---------------------------------------------------------------- outdoors
    def _outdoors(self, pen: Pen) -> None:
        s, cam = self.setting, self.cam
        self._sky_objects(pen)
        kind = s.kind
        if kind in ("mountain", "water", "country") or s.genre in ("ancient-style", "aesthetic-scenery"):
            self._mountains(pen, far=True)
        if kind in ("street", "busstop", "rooftop") or "city" in s.props:
            self._skyline(pen, 420.0, dense=True)
        if kind in ("mountain",):
            self._mountains(pen, far=False)
        if kind == "country":
            self._houses(pen, cam.d + 70.0)
        self._ground(pen)
        if kind in ("street", "busstop"):
            self._street_row(pen)
        if kind in ("park", "country") or "tree" in s.props:
            self._treeline(pen, 160.0)
            self._trees(pen)
        if kind in ("park", "country"):
            self._hedges(pen, cam.d + 13.0)
        if "pavilion" in s.props or (s.genre == "ancient-style" and kind in ("park", "water", "mountain")):
            self._pavilion(pen)
        if kind in ("street", "busstop", "park") or ("lamp" in s.props and s.genre != "ancient-style"):
            self._street_lamp(pen)
        if kind == "busstop":
            self._bus_stop(pen)
        if "bench" in s.props and kind != "busstop":
            self._bench(pen, self.layout("bench").uniform(-9, 9), cam.d + 3.0)
        if "lantern" in s.props or (s.genre == "ancient-style" and s.dark):
            self._lanterns(pen)
        if kind == "rooftop":
            self._railing(pen)
        if "birds" in s.props or (kind in ("water", "mountain") and not s.dark):
            self._birds(pen)
        if kind == "water" and ("boat" in s.props or s.genre in ("ancient-style", "aesthetic-scenery")):
            self._boat(pen)
        if kind == "water" and cam.d > 15:
            self.occluders.append(self._reeds)

    def _sky_objects(self, pen: Pen) -> None:
        s, m, cam = self.setting, self.mood, self.cam
        rng = self.layout("sky")
        W, H = self.W, self.H
        hz = cam.horizon
        if s.time == "night" or "stars" in s.props and s.dark:
            n = int(W * H / 9000)
            xs = rng.uniform(0, W, n)
            ys = rng.uniform(0, max(1.0, hz * 0.85), n) ** 1.0
            rs = rng.uniform(0.6, 1.8, n) * (H / 1920)
            al = rng.integers(60, 220, n)
            for x, y, r, a in zip(xs, ys, rs, al):
                pen.circle(float(x), float(y), float(r), (255, 250, 235), int(a))
        if s.rain:
            return  # overcast: no disc
        if m.sun is None:
            return
        side = 1 if rng.random() < 0.5 else -1
        if s.time == "day":
            cx, cy, r = W * (0.5 + side * 0.3), min(hz * 0.25, H * 0.14), H * 0.035
        elif s.time in ("dusk", "dawn"):
            cx, cy, r = W * (0.5 + side * 0.22), hz - H * 0.045, H * 0.05
        else:
            cx, cy, r = W * (0.5 + side * 0.25), min(hz * 0.3, H * 0.16), H * 0.03
        # parallax: the sky barely moves with the camera
        cx -= cam.x * cam.scale(5000.0)
        if cy < -r or cy > hz + r:
            return
        pen.circle(cx, cy, r, m.sun)
        if m.is_moon:
            pen.circle(cx + r * 0.35, cy - r * 0.2, r * 0.85, scale_rgb(m.sky[0], 1.05), 230)
            self.glows.append(Glow(cx, cy, r * 6, (200, 210, 255), 0.22))
        else:
            self.glows.append(Glow(cx, cy, r * 9, m.sun, 0.5 if s.time != "day" else 0.35))

    def _mountains(self, pen: Pen, far: bool) -> None:
        cam, m = self.cam, self.mood
        W = self.W
        layers = ((2000.0, 160.0, 0.75), (1300.0, 110.0, 0.55)) if far else ((500.0, 70.0, 0.35),)
        for li, (dist, height_hu, haze) in enumerate(layers):
            rng = self.layout("mountains", far, li)
            n = 64
            ridge = smooth_noise(rng, n, ((4, 1.0), (9, 0.45), (21, 0.18)))
            x0, x1 = -W * 0.3, W * 1.3
            xs = np.linspace(x0, x1, n)
            shift = -cam.x * cam.scale(dist)
            base_y = cam.sy(0.0, dist)
            hgt = (0.55 + 0.45 * ridge) * height_hu * cam.scale(dist)
            pts = [(float(x + shift), float(base_y - h)) for x, h in zip(xs, hgt)]
            pts += [(x1 + shift, base_y + 4), (x0 + shift, base_y + 4)]
            ink = ((46, 60, 78) if self.setting.genre == "ancient-style"
                   else mix(self.palette[1], (60, 80, 90), 0.5))
            col = mix(self.lit(ink), m.sky[2], haze)
            pen.poly(pts, col)

    def _skyline(self, pen: Pen, dist: float, dense: bool) -> None:
        cam, m, s = self.cam, self.mood, self.setting
        rng = self.layout("skyline")
        k = cam.scale(dist)
        shift = -cam.x * k
        x = -self.W * 0.3
        base = cam.sy(0.0, dist)
        body = mix(self.lit(mix(self.palette[0], (70, 80, 100), 0.5)), m.sky[2], 0.45 if not s.dark else 0.2)
        lit_win = mix(m.practical, (255, 230, 170), 0.4)
        while x < self.W * 1.3:
            w = float(rng.uniform(14, 34)) * k
            h = float(rng.uniform(20, 120 if dense else 50)) * k
            pen.rect((x + shift, base - h, x + shift + w + 1, base + 2), body)
            if s.dark:
                # windows: a sparse grid of lit cells
                cols = max(1, int(w / (3.2 * k)))
                rows = max(1, int(h / (4.5 * k)))
                mask = rng.random((rows, cols)) < (0.35 if s.time == "night" else 0.18)
                cw, ch = w / cols, h / rows
                for r_, c_ in zip(*np.nonzero(mask)):
                    wx = x + shift + c_ * cw + cw * 0.3
                    wy = base - h + r_ * ch + ch * 0.3
                    pen.rect((wx, wy, wx + max(1.0, cw * 0.4), wy + max(1.0, ch * 0.4)), lit_win)
            x += w + float(rng.uniform(0, 6)) * k

    def _houses(self, pen: Pen, dist: float) -> None:
        cam = self.cam
        rng = self.layout("houses")
        k = cam.scale(dist)
        base = cam.sy(0.0, dist)
        ancient = self.setting.genre == "ancient-style"
        for i in range(int(rng.integers(3, 6))):
            cx = float(rng.uniform(-60, 60))
            w = float(rng.uniform(16, 26))
            h = float(rng.uniform(10, 14))
            left = self.W / 2 + (cx - w / 2 - cam.x) * k
            right = left + w * k
            wall = self.lit(mix((236, 226, 206), self.palette[4], 0.3), dist)
            roof = self.lit((70, 66, 70) if ancient or rng.random() < 0.6 else (150, 70, 60), dist)
            pen.rect((left, base - h * k, right, base), wall)
            eave = 2.5 * k
            pen.poly([(left - eave, base - h * k), (right + eave, base - h * k),
                      (right - w * k * 0.2, base - (h + 7) * k), (left + w * k * 0.2,
                                                                  base - (h + 7) * k)], roof)
            door_c = self.lit(self.palette[3], dist, 0.7)
            pen.rect((left + w * k * 0.42, base - 7 * k, left + w * k * 0.58, base), door_c)
            if self.setting.dark:
                win = mix(self.mood.practical, (255, 220, 150), 0.3)
                pen.rect((left + w * k * 0.12, base - 9 * k, left + w * k * 0.3, base - 5 * k), win)
                self.glows.append(Glow(left + w * k * 0.21, base - 7 * k, 10 * k, self.mood.practical, 0.35))

    def _ground(self, pen: Pen) -> None:
        s, cam = self.setting, self.cam
        W, H = self.W, self.H
        hz = cam.horizon
        dark, mid, warm, accent, light = self.palette
        if s.kind == "water":
            water_far = mix(self.mood.sky[2], (60, 110, 150), 0.35)
            water_near = mix(self.lit((40, 80, 110)), self.mood.sky[1], 0.25)
            self._bands(pen, hz, H, water_far, water_near, 24)
            # the shore the characters stand on
            shore_y = cam.sy(0.0, cam.d + 6.0)
            sand = self.lit(mix((214, 196, 160), light, 0.2))
            pen.poly([(0, shore_y + (H - shore_y) * 0.1), (W, shore_y - (H - shore_y) * 0.05), (W, H),
                      (0, H)], sand)
            # light on the water: short bright strokes in the sun's column
            rng = self.layout("ripples")
            col = mix(self.mood.sun or (255, 255, 255), (255, 255, 255), 0.3)
            for _ in range(60):
                y = _span(rng, hz + 2, shore_y)
                x = float(rng.normal(W * 0.5, W * 0.18))
                ln = float(rng.uniform(0.01, 0.05)) * W * (y - hz) / max(1.0, shore_y - hz)
                pen.line([(x - ln, y), (x + ln, y)], col, max(1.0, H / 1400),
                         int(rng.integers(60, 160)), caps=False)
            return
        if s.kind in ("street", "busstop"):
            ground_far = self.lit(mix((120, 118, 126), mid, 0.15))
            ground_near = self.lit(mix((84, 84, 94), dark, 0.2))
            if s.rain:
                ground_near = scale_rgb(ground_near, 0.8)
        elif s.kind == "rooftop":
            ground_far = self.lit((150, 146, 140))
            ground_near = self.lit((118, 112, 108))
        elif s.kind == "mountain":
            ground_far = self.lit(mix((120, 140, 100), mid, 0.2))
            ground_near = self.lit(mix((88, 110, 74), dark, 0.15))
        else:
            grass = (126, 160, 96) if s.time != "night" else (70, 96, 72)
            ground_far = self.lit(mix(grass, light, 0.2))
            ground_near = self.lit(mix(grass, (70, 96, 60), 0.5))
        ground_far = mix(ground_far, self.mood.sky[2], 0.3)
        self._bands(pen, hz, H, ground_far, ground_near, 24)
        if s.kind in ("street", "busstop"):
            # the kerb and pavement in front of the road
            walk_d = cam.d + 2.5
            kerb_y = cam.sy(0.0, walk_d + 4.0)
            road_top = cam.sy(0.0, walk_d + 18.0)
            road = self.lit(mix((64, 64, 72), dark, 0.25))
            pen.rect((0, road_top, W, kerb_y), road)
            pen.rect((0, kerb_y, W, kerb_y + max(2.0, cam.scale(walk_d + 4.0) * 0.25)), self.lit((180,
                                                                                                  176, 168)))
            pave = self.lit(mix((168, 160, 150), warm, 0.1))
            pen.rect((0, kerb_y + max(2.0, cam.scale(walk_d + 4.0) * 0.25), W, H), pave)
            # lane marks
            lane_y = cam.sy(0.0, walk_d + 11.0)
            k = cam.scale(walk_d + 11.0)
            for i in range(-12, 13):
                x = self.W / 2 + (i * 9.0 - cam.x) * k
                pen.poly([(x, lane_y - 0.12 * k), (x + 4.0 * k, lane_y - 0.12 * k),
                          (x + 4.0 * k, lane_y + 0.12 * k), (x, lane_y + 0.12 * k)], self.lit((220, 214,
                                                                                               190)), 200)
            # paving joints receding
            joint = scale_rgb(pave, 0.9)
            for dd in (1.0, 3.0, 6.0, 10.0):
                y = cam.sy(0.0, cam.d + dd - 2.0)
                if kerb_y < y < H:
                    pen.line([(0, y), (W, y)], joint, max(1.0, H / 900), caps=False)
            if s.rain:
                # wet: a faint reflection band
                pen.rect((0, kerb_y, W, H), self.mood.sky[1], 26)

    def _bands(self, pen: Pen, y0: float, y1: float, c0: RGB, c1: RGB, n: int) -> None:
        """A vertical gradient made of `n` bands (vector layers cannot hold numpy gradients)."""
        y0 = max(-1.0, y0)
        if y1 <= y0:
            return
        step = (y1 - y0) / n
        for i in range(n):
            t = (i + 0.5) / n
            pen.rect((0, y0 + i * step, self.W, y0 + (i + 1) * step + 1), mix(c0, c1, t ** 0.8))

    def _street_row(self, pen: Pen) -> None:
        """Shopfronts across the road: the street's identity, lit windows at night."""
        cam, s = self.cam, self.setting
        rng = self.layout("street-row")
        dist = cam.d + 34.0
        k = cam.scale(dist)
        base = cam.sy(0.0, dist)
        x = -60.0 + float(rng.uniform(-5, 0))
        dark, mid, warm, accent, light = self.palette
        while x < 60.0:
            w = float(rng.uniform(10, 18))
            h = float(rng.uniform(16, 30))
            facade = self.lit(mix(mix(light, mid, float(rng.uniform(0.1, 0.5))), (150, 140, 130), 0.35), dist)
            left, right = cam.sx(x, dist), cam.sx(x + w, dist)
            top = base - h * k
            pen.rect((left, top, right, base), facade)
            pen.rect((left, top, right, top + 0.8 * k), scale_rgb(facade, 0.8))
            # shop window and awning on the ground floor
            win = mix(self.mood.practical, (255, 236, 190), 0.3) if s.dark else self.lit((150, 180,
                                                                                          196), dist)
            pen.rect((left + 0.12 * w * k, base - 6.5 * k, right - 0.12 * w * k, base - 1.2 * k), win)
            if s.dark:
                self.glows.append(Glow((left + right) / 2, base - 4 * k, 9 * k, self.mood.practical, 0.45))
            awn = self.lit(accent if rng.random() < 0.5 else warm, dist, 0.9)
            pen.poly([(left + 0.05 * w * k, base - 7.6 * k), (right - 0.05 * w * k, base - 7.6 * k),
                      (right, base - 6.0 * k), (left, base - 6.0 * k)], awn)
            # upper windows
            rows = int((h - 9) // 5)
            for r in range(rows):
                wy = base - (10 + r * 5) * k
                for c in range(max(1, int(w // 5))):
                    wx = left + (1.5 + c * 5) * k
                    on = s.dark and rng.random() < 0.45
                    col = mix(self.mood.practical, (255, 230, 170), 0.4) if on else scale_rgb(facade, 0.72)
                    pen.rect((wx, wy - 2.6 * k, wx + 2.2 * k, wy), col)
            x += w + float(rng.uniform(0.0, 2.5))

    def _street_lamp(self, pen: Pen) -> None:
        cam, s = self.cam, self.setting
        rng = self.layout("lamp")
        side = 1 if rng.random() < 0.5 else -1
        x = side * float(rng.uniform(3.0, 4.5))
        dist = cam.d + float(rng.uniform(4, 7))
        k = cam.scale(dist)
        pole = self.lit((52, 54, 62))
        bx, by = cam.pt(x, 0.0, dist)
        tx, ty = cam.pt(x, 19.0, dist)
        pen.line([(bx, by), (tx, ty)], pole, 0.45 * k, caps=False)
        pen.rect((bx - 0.5 * k, by - 1.5 * k, bx + 0.5 * k, by), pole)
        hx = tx - side * 2.6 * k
        pen.line([(tx, ty), (tx - side * 1.0 * k, ty - 0.8 * k), (hx, ty - 0.6 * k)], pole, 0.3 * k)
        pen.poly([(hx - 1.0 * k, ty - 0.4 * k), (hx + 1.0 * k, ty - 0.4 * k), (hx + 0.6 * k, ty + 0.4 * k),
                  (hx - 0.6 * k, ty + 0.4 * k)], pole)
        on = s.dark or s.rain
        bulb = (255, 236, 180) if on else (230, 230, 220)
        pen.ellipse((hx - 0.6 * k, ty + 0.2 * k, hx + 0.6 * k, ty + 0.7 * k), bulb)
        if on:
            self.glows.append(Glow(hx, ty + 0.5 * k, 9 * k, self.mood.practical, 0.75))
            self.glows.append(Glow(hx, by, 12 * k, self.mood.practical, 0.3, squash=0.25))
            # the cone of light falling from it
            pen.poly([(hx - 0.6 * k, ty + 0.6 * k), (hx + 0.6 * k, ty + 0.6 * k), (hx + 6 * k, by),
                      (hx - 6 * k, by)], self.mood.practical, 22)

    def _bus_stop(self, pen: Pen) -> None:
        cam, s = self.cam, self.setting
        rng = self.layout("busstop")
        side = -1 if rng.random() < 0.5 else 1
        cx = side * float(rng.uniform(2.5, 5.0))
        dist = cam.d + 4.0
        k = cam.scale(dist)
        frame = self.lit(mix((70, 74, 84), self.palette[0], 0.3))
        w, h = 16.0, 10.5
        x0, x1 = cx - w / 2, cx + w / 2
        # back glass panel, translucent
        pen.poly([cam.pt(x0, 0.6, dist + 1.2), cam.pt(x1, 0.6, dist + 1.2), cam.pt(x1, h - 0.6, dist + 1.2),
                  cam.pt(x0, h - 0.6, dist + 1.2)], mix(self.mood.sky[1], (150, 170, 190), 0.5), 46)
        # advert panel on one end, lit at night
        ax = x0 + 0.6 if side > 0 else x1 - 5.6
        ad_col = mix(self.palette[4], (250, 236, 214), 0.5)
        lit_ad = ad_col if s.dark else self.lit(ad_col)
        pen.rect((*cam.pt(ax, 8.5, dist + 1.1), *cam.pt(ax + 5.0, 1.0, dist + 1.1)), lit_ad)
        # a poster on it: a sun over a hill, the universal travel advert
        pcx, pcy = cam.pt(ax + 2.5, 5.6, dist + 1.1)
        kk = cam.scale(dist + 1.1)
        pen.circle(pcx, pcy, 1.1 * kk, mix(self.palette[2], (240, 150, 90), 0.4))
        pen.poly([cam.pt(ax + 0.3, 2.0, dist + 1.1), cam.pt(ax + 2.4, 4.6, dist + 1.1),
                  cam.pt(ax + 4.7, 2.4, dist + 1.1), cam.pt(ax + 4.7, 1.2, dist + 1.1),
                  cam.pt(ax + 0.3, 1.2, dist + 1.1)], mix(self.palette[3], (60, 110, 90), 0.4))
        if s.dark:
            ax0, ay0 = cam.pt(ax + 2.5, 4.8, dist + 1.1)
            self.glows.append(Glow(ax0, ay0, 7 * k, (255, 246, 226), 0.5))
        # posts and roof
        for px in (x0, x1):
            pen.line([cam.pt(px, 0.0, dist), cam.pt(px, h, dist)], frame, 0.35 * k, caps=False)
        pen.poly([cam.pt(x0 - 0.8, h, dist - 0.6), cam.pt(x1 + 0.8, h, dist - 0.6),
                  cam.pt(x1 + 0.8, h + 0.7, dist + 1.6),
                  cam.pt(x0 - 0.8, h + 0.7, dist + 1.6)], frame)
        roof_edge = self.lit(self.palette[3], 0, 0.9)
        pen.rect((*cam.pt(x0 - 0.8, h + 0.8, dist - 0.6), *cam.pt(x1 + 0.8, h - 0.2, dist - 0.6)), roof_edge)
        # bench
        self._bench(pen, cx + (2.0 if side < 0 else -2.0), dist + 0.6, width=7.0)
        # the sign pole with a round sign
        sx_ = x1 + 1.8 if side < 0 else x0 - 1.8
        pen.line([cam.pt(sx_, 0.0, dist - 0.5), cam.pt(sx_, 12.5, dist - 0.5)], frame, 0.22 * k, caps=False)
        scx, scy = cam.pt(sx_, 12.5, dist - 0.5)
        sign = self.lit(self.palette[3], 0, 1.0) if not s.dark else mix(self.palette[3], (255, 255, 255), 0.2)
        pen.circle(scx, scy, 1.5 * k, (240, 240, 236) if not s.dark else (250, 250, 246))
        pen.circle(scx, scy, 1.2 * k, sign)
        pen.rect((scx - 1.0 * k, scy - 0.25 * k, scx + 1.0 * k, scy + 0.25 * k), (250, 250, 246))
        pen.rect((*cam.pt(sx_ - 1.0, 10.0, dist - 0.5), *cam.pt(sx_ + 1.0, 7.0, dist - 0.5)), (236, 232, 220))

    def _bench(self, pen: Pen, x: float, dist: float, width: float = 7.0) -> None:
        cam = self.cam
        wood = self.lit(mix((150, 100, 64), self.palette[2], 0.2))
        leg = self.lit((60, 60, 66))
        for px in (x - width / 2 + 0.5, x + width / 2 - 0.5):
            pen.line([cam.pt(px, 0.0, dist), cam.pt(px, 1.9, dist)], leg, 0.25 * cam.scale(dist), caps=False)
        pen.rect((*cam.pt(x - width / 2, 2.1, dist), *cam.pt(x + width / 2, 1.7, dist)), wood)
        pen.rect((*cam.pt(x - width / 2, 3.9, dist + 0.4), *cam.pt(x + width / 2, 3.3, dist + 0.4)),
                 scale_rgb(wood, 0.9))

    def _trees(self, pen: Pen) -> None:
        cam, s = self.cam, self.setting
        rng = self.layout("trees")
        willow = "willow" in s.props or s.genre == "ancient-style"
        dark, mid, warm, accent, light = self.palette
        leaf = (96, 146, 90) if not willow else (120, 160, 96)
        if "petals" in s.props:
            leaf = (240, 178, 196)
        trees = []
        keep_clear = 8.0 if s.kind == "water" else 3.0  # never a trunk behind a head
        for i in range(-6, 7):
            x = i * 6.5 + float(rng.uniform(-2.0, 2.0))
            dist = cam.d + float(rng.uniform(10, 40))
            if abs(x) < keep_clear * (1 + (dist - cam.d) / 30):
                continue
            trees.append((dist, x))
        for dist, x in sorted(trees, reverse=True):  # far ones first
            k = cam.scale(dist)
            trunk = self.lit((96, 72, 56), dist)
            h = float(rng.uniform(10, 15))
            bx, by = cam.pt(x, 0.0, dist)
            tx, ty = cam.pt(x, h, dist)
            pen.line([(bx, by), (tx, ty)], trunk, 0.8 * k, caps=False)
            col = self.lit(mix(leaf, mid, 0.15), dist)
            if willow:
                pen.line([(tx, ty), (tx - 2.5 * k, ty - 2.0 * k)], trunk, 0.4 * k)
                pen.line([(tx, ty), (tx + 2.2 * k, ty - 1.6 * k)], trunk, 0.4 * k)
                pen.ellipse((tx - 4.5 * k, ty - 3.2 * k, tx + 4.5 * k, ty - 0.6 * k), col)
                for j in range(15):
                    a = -4.2 + j * 0.6
                    length = float(rng.uniform(5, 9))
                    sway = float(rng.uniform(-0.4, 0.4))
                    pen.line([(tx + a * k, ty - 1.6 * k), (tx + (a * 1.08 + sway * 0.5) * k,
                                                           ty + length * 0.5 * k),
                              (tx + (a * 1.12 + sway) * k, ty + length * k)], col, 0.16 * k, 210)
            else:
                for j in range(6):
                    ox, oy = float(rng.uniform(-4, 4)), float(rng.uniform(-4, 2))
                    r = float(rng.uniform(3, 5.2))
                    pen.circle(tx + ox * k, ty + oy * k, r * k, col if j % 2 else scale_rgb(col, 0.9))

    def _boat(self, pen: Pen) -> None:
        """A small boat with a figure poling it, far out on the water, and its reflection."""
        cam = self.cam
        rng = self.layout("boat")
        dist = cam.d + float(rng.uniform(60, 110))
        x = float(rng.uniform(-0.6, 0.6)) * (self.W / 2) / cam.scale(dist)
        k = cam.scale(dist)
        cx, cy = cam.pt(x, 0.0, dist)
        hull = self.lit((52, 46, 48), dist * 0.3)
        pen.poly([(cx - 5 * k, cy - 0.8 * k), (cx + 5 * k, cy - 0.8 * k), (cx + 3.6 * k, cy + 0.3 * k),
                  (cx - 3.6 * k, cy + 0.3 * k)], hull)
        pen.rect((cx - 2.2 * k, cy - 2.6 * k, cx + 0.6 * k, cy - 0.8 * k), hull, radius=0.9 * k)
        pen.circle(cx + 2.0 * k, cy - 4.4 * k, 0.5 * k, hull)
        pen.line([(cx + 2.0 * k, cy - 3.9 * k), (cx + 2.0 * k, cy - 0.9 * k)], hull, 0.7 * k)
        pen.line([(cx + 3.4 * k, cy - 6.5 * k), (cx + 0.6 * k, cy + 1.8 * k)], hull, 0.18 * k)
        pen.poly([(cx - 4.2 * k, cy + 0.5 * k), (cx + 4.2 * k, cy + 0.5 * k), (cx + 3.0 * k, cy + 1.6 * k),
                  (cx - 3.0 * k, cy + 1.6 * k)], hull, 60)

    def _reeds(self, pen: Pen) -> None:
        """Dark reeds in the near corners: a foreground frame for a waterside view."""
        rng = self.layout("reeds")
        W, H = self.W, self.H
        col = mix(self.lit((40, 52, 40)), self.palette[0], 0.3)
        for side in (-1, 1):
            if rng.random() < 0.25:
                continue
            base_x = 0.0 if side < 0 else W
            for _ in range(int(rng.integers(7, 13))):
                x0 = base_x - side * float(rng.uniform(-0.02, 0.16)) * W
                h = float(rng.uniform(0.12, 0.3)) * H
                lean = side * float(rng.uniform(-0.02, 0.08)) * W
                pts = [(x0, H + 2), (x0 - lean * 0.4, H - h * 0.5), (x0 - lean, H - h)]
                pen.line(pts, col, max(1.5, W * 0.006))
                if rng.random() < 0.5:
                    tx, ty = pts[-1]
                    pen.ellipse((tx - W * 0.006, ty - H * 0.02, tx + W * 0.006, ty + H * 0.012), col)

    def _treeline(self, pen: Pen, dist: float) -> None:
        """A far line of rounded tree tops along the horizon: depth for parks and fields."""
        cam = self.cam
        rng = self.layout("treeline")
        k = cam.scale(dist)
        base = cam.sy(0.0, dist)
        col = self.lit(mix((86, 120, 84), self.palette[1], 0.15), dist)
        if "petals" in self.setting.props:
            col = self.lit(mix((226, 170, 186), self.palette[1], 0.1), dist)
        x = -140.0
        while x < 140.0:
            r = float(rng.uniform(4.0, 8.0))
            cx, cy = cam.pt(x, r * float(rng.uniform(0.9, 1.6)), dist)
            pen.circle(cx, cy, r * k, col)
            pen.rect((cx - r * k, cy, cx + r * k, base + 1), col)
            x += r * float(rng.uniform(1.1, 1.6))

    def _hedges(self, pen: Pen, dist: float) -> None:
        """A row of low bushes (with a few flowers) between the characters and the trees."""
        cam = self.cam
        rng = self.layout("hedges")
        k = cam.scale(dist)
        col = self.lit(mix((92, 136, 84), self.palette[1], 0.1), dist * 0.3)
        dot = self.lit(mix(self.palette[3], (250, 240, 240), 0.3))
        x = -60.0
        while x < 60.0:
            r = float(rng.uniform(1.6, 2.8))
            cx, cy = cam.pt(x, r * 0.8, dist)
            pen.circle(cx, cy, r * k, col if rng.random() < 0.5 else scale_rgb(col, 0.92))
            if rng.random() < 0.4:
                for _ in range(3):
                    pen.circle(cx + float(rng.uniform(-r, r)) * 0.7 * k, cy + float(rng.uniform(-r,
                                                                                                0)) * 0.6 * k,
                               0.18 * k, dot)
            x += r * float(rng.uniform(0.9, 1.4))
        pen.rect((0, cam.sy(0.0, dist) - 0.3 * k, self.W, cam.sy(0.0, dist) + 0.2 * k), scale_rgb(col, 0.85))

    def _pavilion(self, pen: Pen) -> None:
        cam = self.cam
        rng = self.layout("pavilion")
        x = float(rng.choice([-1, 1])) * float(rng.uniform(10, 16))
        dist = cam.d + float(rng.uniform(14, 22))
        k = cam.scale(dist)
        wood = self.lit((120, 40, 36), dist)
        roof = self.lit((46, 50, 60), dist)
        for px in (x - 5, x + 5):
            pen.line([cam.pt(px, 0, dist), cam.pt(px, 11, dist)], wood, 0.7 * k, caps=False)
        l, t = cam.pt(x - 9, 11, dist)
        r, _ = cam.pt(x + 9, 11, dist)
        pen.poly([(l - 1 * k, t - 1.2 * k), (l + 2 * k, t), (r - 2 * k, t), (r + 1 * k, t - 1.2 * k),
                  (r - 4 * k, t - 5 * k), (l + 4 * k, t - 5 * k)], roof)
        pen.rect((*cam.pt(x - 6, 3.2, dist), *cam.pt(x + 6, 2.6, dist)), wood)

    def _lanterns(self, pen: Pen) -> None:
        cam = self.cam
        rng = self.layout("lanterns")
        red = (212, 52, 40)
        for i in range(int(rng.integers(3, 6))):
            x = float(rng.choice([-1, 1])) * float(rng.uniform(3.0, 9.0))
            dist = cam.d + float(rng.uniform(3, 12))
            k = cam.scale(dist)
            cx, cy = cam.pt(x, float(rng.uniform(8.5, 11)), dist)
            pen.line([(cx, 0), (cx, cy - 1.2 * k)], (40, 30, 30), 0.1 * k, caps=False)
            pen.ellipse((cx - 1.1 * k, cy - 1.3 * k, cx + 1.1 * k, cy + 1.3 * k), red)
            pen.rect((cx - 0.5 * k, cy - 1.5 * k, cx + 0.5 * k, cy - 1.2 * k), (200, 160, 60))
            pen.rect((cx - 0.5 * k, cy + 1.2 * k, cx + 0.5 * k, cy + 1.5 * k), (200, 160, 60))
            if self.setting.dark:
                self.glows.append(Glow(cx, cy, 6 * k, (255, 120, 70), 0.6))

    def _railing(self, pen: Pen) -> None:
        cam = self.cam
        dist = cam.d + 2.0
        col = self.lit((80, 84, 92))
        y_top = cam.sy(4.2, dist)
        y_base = cam.sy(0.0, dist)
        pen.rect((0, y_top - 0.2 * cam.scale(dist), self.W, y_top + 0.2 * cam.scale(dist)), col)
        for i in range(-20, 21):
            x = cam.sx(i * 2.2, dist)
            pen.line([(x, y_top), (x, y_base)], col, 0.12 * cam.scale(dist), caps=False)

    def _birds(self, pen: Pen) -> None:
        rng = self.layout("birds")
        hz = self.cam.horizon
        col = self.lit((50, 50, 60))
        for _ in range(int(rng.integers(2, 6))):
            x = float(rng.uniform(0.1, 0.9)) * self.W
            y = float(rng.uniform(0.2, 0.6)) * hz
            s = self.H * float(rng.uniform(0.005, 0.009))
            pen.line([(x - s, y - s * 0.4), (x, y), (x + s, y - s * 0.4)], col, max(1.0, s * 0.22))

    # ---------------------------------------------------------------- indoors
    def _room(self, pen: Pen) -> None:
        s, cam = self.setting, self.cam
        rng = self.layout("room")
        dark, mid, warm, accent, light = self.palette
        W, H = self.W, self.H
        kind = s.kind
        gap = float(rng.uniform(6.5, 9.0))
        dw = cam.d + gap  # back wall distance
        ceil_h = 13.0
        wall = self.wall_colour()
        floor_y = cam.sy(0.0, dw)
        ceil_y = cam.sy(ceil_h, dw)
        k = cam.scale(dw)
        # a chair rail and a lower panel, a cornice under the ceiling: a lived-in wall
        if kind in ("home", "bedroom", "cafe"):
            rail_y = cam.sy(3.6, dw)
            pen.rect((0, rail_y, W, floor_y), scale_rgb(mix(wall, self.palette[2], 0.15), 0.93))
            pen.rect((0, rail_y - 0.12 * k, W, rail_y + 0.12 * k), scale_rgb(wall, 1.06))
        if ceil_y > 0:
            self._bands(pen, -1.0, ceil_y, scale_rgb(wall, 0.62), scale_rgb(wall, 0.8), 32)
            pen.rect((0, ceil_y - 0.1 * k, W, ceil_y + 0.3 * k), scale_rgb(wall, 1.04))
        side = -1 if rng.random() < 0.5 else 1
        half = float(rng.uniform(11, 15))
        near = max(0.6, cam.d - 6.0)
        xw = side * half
        p_far_top, p_far_bot = cam.pt(xw, ceil_h, dw), cam.pt(xw, 0.0, dw)
        p_near_top, p_near_bot = cam.pt(xw, ceil_h, near), cam.pt(xw, 0.0, near)
        edge = 0 if side < 0 else W
        beyond = -W * 3 if side < 0 else W * 4
        # floor
        floor = self.lit(mix((150, 106, 72), warm, 0.2))
        if s.kind in ("classroom", "office", "bedroom"):
            floor = self.lit(mix((176, 162, 140), mid, 0.15))
        self._bands(pen, floor_y, H, scale_rgb(floor, 0.92), scale_rgb(floor, 1.04), 16)
        # floorboards receding (parallel lines towards the camera)
        line_c = scale_rgb(floor, 0.84)
        for i in range(-14, 15):
            x = i * 2.4
            a = cam.pt(x, 0.0, dw)
            b = cam.pt(x, 0.0, max(0.6, cam.d - 3.0))
            pen.line([a, b], line_c, max(1.0, H / 1400), 150, caps=False)
        pen.rect((0, floor_y - 0.35 * cam.scale(dw), W, floor_y + 1), scale_rgb(wall, 0.78))
        # the side wall as a perspective trapezoid
        side_c = scale_rgb(wall, 0.86)
        pen.poly([p_far_top, p_near_top, (beyond, p_near_top[1]), (beyond, p_near_bot[1]), p_near_bot,
                  p_far_bot],
                 side_c)
        del edge
        # back-wall furniture by kind
        if kind == "vehicle":
            self._vehicle(pen, dw, rng)
            self._lamp_strip(pen, dw)
            return
        if kind == "kitchen":
            self._kitchen(pen, dw, rng)
        elif kind == "classroom":
            self._blackboard(pen, dw, rng)
        elif kind == "office":
            self._office(pen, dw, rng)
        elif kind == "cafe":
            self._cafe(pen, dw, rng)
        wx = float(rng.uniform(-6, 6)) if kind not in ("classroom",) else 9.0 * -side
        if "window" in s.props or kind in ("home", "bedroom", "cafe", "classroom", "office"):
            self._window(pen, wx, dw, big=kind in ("cafe", "office"))
        if kind in ("home", "bedroom") or "shelf" in s.props:
            self._shelf(pen, wx + (9.5 if wx < 0 else -9.5), dw, rng)
        if "photo" in s.props or kind == "home":
            self._frames(pen, wx + (-7.0 if wx < 0 else 7.0), dw, rng)
        if "clock" in s.props:
            cx, cy = cam.pt(wx + (4.5 if wx < 0 else -4.5), 9.6, dw)
            k = cam.scale(dw)
            pen.circle(cx, cy, 0.95 * k, scale_rgb(wall, 0.6))
            pen.circle(cx, cy, 0.8 * k, (246, 242, 232))
            pen.line([(cx, cy), (cx, cy - 0.55 * k), ], (40, 40, 40), 0.08 * k)
            pen.line([(cx, cy), (cx + 0.4 * k, cy + 0.1 * k)], (40, 40, 40), 0.08 * k)
        if "door" in s.props:
            dx = -wx * 0.9 if abs(wx) > 2 else 10.0
            k = cam.scale(dw)
            pen.rect((*cam.pt(dx - 2.4, 8.6, dw), *cam.pt(dx + 2.4, 0.0, dw)),
                     self.lit(mix((130, 90, 60), accent, 0.2)))
            px, py = cam.pt(dx + 1.6, 4.0, dw)
            pen.circle(px, py, 0.2 * k, (210, 180, 90))
        if "plant" in s.props:
            self._plant(pen, -side * float(rng.uniform(7, 10)), dw - 1.0)
        if "sofa" in s.props:
            self._sofa(pen, wx, dw - 1.8)
        if "bed" in s.props or kind == "bedroom":
            self._bed(pen, side * 7.0, dw - 2.5)
        self._lamp(pen, rng, dw)  # the fixture is always there; it glows when lit
        if "table" in s.props or ("steam" in s.props and kind != "kitchen"):
            r = float(rng.random())
            if cam.d > 15:
                # a wide shot: the table stands in front and hides the legs
                self.occluders.append(lambda p: self._table(p, r, cam.d - 0.9))
            else:
                # closer in, a table in front would fill the frame: it stands behind them
                self._table(pen, r, cam.d + 3.2)

    def _vehicle(self, pen: Pen, dw: float, rng: np.random.Generator) -> None:
        """Inside a bus or a train: a band of windows with the world streaking past, seats."""
        cam, s, m = self.cam, self.setting, self.mood
        k = cam.scale(dw)
        W = self.W
        y0, y1 = 4.2, 9.0
        T, B = cam.sy(y1, dw), cam.sy(y0, dw)
        body = self.wall_colour()
        top, midc, hz = m.sky
        n = 24
        for i in range(n):
            t = (i + 0.5) / n
            c = mix(top, hz, t)
            pen.rect((0, T + (B - T) * i / n, W, T + (B - T) * (i + 1) / n + 1), c)
        # lights (or hills) streaking past: long thin strokes at a few heights
        for _ in range(40):
            yy = _span(rng, T + (B - T) * 0.35, B - 2)
            xx = float(rng.uniform(-0.2, 1.0)) * W
            ln = float(rng.uniform(0.1, 0.4)) * W
            col = (mix(m.practical, (255, 230, 180), float(rng.random())) if s.dark
                   else mix((120, 150, 110), hz, float(rng.uniform(0.2, 0.6))))
            pen.line([(xx, yy), (xx + ln, yy)], col, max(1.0, float(rng.uniform(0.04, 0.12)) * k),
                     int(rng.integers(60, 200)), caps=False)
        # window pillars, curtains tied at each, the sill
        frame = scale_rgb(body, 0.8)
        for i in range(-8, 9):
            px = cam.sx(i * 7.0, dw)
            pen.rect((px - 0.35 * k, T - 0.3 * k, px + 0.35 * k, B + 0.3 * k), frame)
            cur = self.lit(mix(self.palette[3], self.palette[1], 0.5), 0, 0.9)
            pen.poly([(px + 0.35 * k, T - 0.2 * k), (px + 1.6 * k, T - 0.2 * k), (px + 0.9 * k, T + (B - T) * 0.55),
                      (px + 0.35 * k, T + (B - T) * 0.6)], cur)
        pen.rect((0, B, W, B + 0.5 * k), scale_rgb(body, 0.9))
        pen.rect((0, T - 0.9 * k, W, T - 0.3 * k), scale_rgb(body, 1.05))
        # a grab rail along the roof and the seat backs in rows
        rail = self.lit((176, 176, 180))
        ry = cam.sy(10.6, cam.d + 1.5)
        pen.line([(0, ry), (W, ry)], rail, max(1.5, 0.12 * cam.scale(cam.d + 1.5)), caps=False)
        seat = self.lit(mix(self.palette[1], (70, 80, 110), 0.5))
        for row, dist in enumerate((dw - 1.5, cam.d + 3.0)):
            kk = cam.scale(dist)
            for side in (-1, 1):
                x0 = side * 3.2
                x1 = side * 9.0
                l, r_ = sorted((cam.sx(x0, dist), cam.sx(x1, dist)))
                t = cam.sy(4.6, dist)
                pen.rect((l, t, r_, cam.sy(1.6, dist)), scale_rgb(seat, 1.0 - 0.08 * row), radius=0.6 * kk)
                pen.rect((l + 0.3 * kk, t + 0.3 * kk, r_ - 0.3 * kk, t + 0.9 * kk), (236, 232, 222), 180,
                         radius=0.2 * kk)

    def _lamp_strip(self, pen: Pen, dw: float) -> None:
        """The ceiling light strip of a bus or train, glowing when it is dark outside."""
        cam = self.cam
        y = cam.sy(12.0, cam.d + 2.0)
        k = cam.scale(cam.d + 2.0)
        pen.rect((0, y - 0.25 * k, self.W, y + 0.25 * k), (248, 244, 230))
        if self.setting.dark:
            for i in range(5):
                self.glows.append(Glow(self.W * (i + 0.5) / 5, y, 8 * k, (255, 240, 210), 0.25))

    def _window(self, pen: Pen, x: float, dw: float, big: bool = False) -> None:
        cam, s, m = self.cam, self.setting, self.mood
        w = 7.0 if big else 5.2
        y0, y1 = 3.8, 9.6
        k = cam.scale(dw)
        L, T = cam.pt(x - w / 2, y1, dw)
        R, B = cam.pt(x + w / 2, y0, dw)
        frame = self.lit((236, 230, 218)) if s.genre != "ancient-style" else self.lit((110, 60, 40))
        pen.rect((L - 0.35 * k, T - 0.35 * k, R + 0.35 * k, B + 0.5 * k), frame)
        # the view: sky bands, a skyline or hills, lit windows at night
        top, midc, hz = m.sky
        n = 32
        for i in range(n):
            t = (i + 0.5) / n
            c = mix(top, midc, t * 1.6) if t < 0.6 else mix(midc, hz, (t - 0.6) / 0.4)
            pen.rect((L, T + (B - T) * i / n, R, T + (B - T) * (i + 1) / n + 1), c)
        rng = self.layout("window-view")
        sil = mix(m.sky[0], (30, 36, 50), 0.5) if s.dark else mix(m.sky[2], (120, 130, 140), 0.45)
        xx = L
        while xx < R:
            bw = float(rng.uniform(0.08, 0.2)) * (R - L)
            bh = float(rng.uniform(0.12, 0.45)) * (B - T)
            pen.rect((xx, B - bh, min(R, xx + bw), B), sil)
            if s.dark:
                for _ in range(int(rng.integers(1, 4))):
                    wx_ = _span(rng, xx, min(R, xx + bw) - 2)
                    wy_ = _span(rng, B - bh, B - 2)
                    pen.rect((wx_, wy_, wx_ + 0.12 * k, wy_ + 0.16 * k), (255, 220, 150))
            xx += bw + float(rng.uniform(0, 0.05)) * (R - L)
        if s.time == "night" and not s.rain:
            pen.circle(L + (R - L) * 0.72, T + (B - T) * 0.25, 0.35 * k, (246, 244, 226))
        if s.rain:
            for _ in range(40):
                rx = _span(rng, L, R)
                ry = _span(rng, T, B)
                pen.line([(rx, ry), (rx + 0.1 * k, ry + 0.5 * k)], (220, 230, 240), max(1.0, 0.04 * k), 120)
        # mullions and sill
        pen.line([((L + R) / 2, T), ((L + R) / 2, B)], frame, 0.22 * k, caps=False)
        pen.line([(L, (T + B) / 2 - 0.3 * k), (R, (T + B) / 2 - 0.3 * k)], frame, 0.18 * k, caps=False)
        if s.genre == "ancient-style":
            for i in range(1, 6):
                xx_ = L + (R - L) * i / 6
                pen.line([(xx_, T), (xx_, B)], frame, 0.08 * k, caps=False)
            for i in range(1, 6):
                yy_ = T + (B - T) * i / 6
                pen.line([(L, yy_), (R, yy_)], frame, 0.08 * k, caps=False)
        pen.rect((L - 0.7 * k, B + 0.2 * k, R + 0.7 * k, B + 0.65 * k), scale_rgb(frame, 0.9))
        # curtains
        cur = self.lit(mix(self.palette[3], self.palette[2], 0.4), 0, 0.95)
        for side in (-1, 1):
            cx = L if side < 0 else R
            pen.poly([(cx - side * 0.2 * k, T - 0.8 * k), (cx + side * 1.3 * k, T - 0.8 * k),
                      (cx + side * 0.7 * k, B + 1.2 * k), (cx - side * 0.5 * k, B + 1.4 * k)], cur)
            pen.line([(cx + side * 0.45 * k, T - 0.6 * k), (cx + side * 0.3 * k, B + 1.2 * k)],
                     scale_rgb(cur, 0.85), 0.1 * k, caps=False)
        pen.line([(L - 1.5 * k, T - 0.85 * k), (R + 1.5 * k, T - 0.85 * k)], self.lit((90, 70, 60)), 0.12 * k)
        cx, cy = (L + R) / 2, (T + B) / 2
        if s.dark:
            self.glows.append(Glow(cx, cy, (R - L) * 0.9, (150, 170, 230), 0.18))
        else:
            self.glows.append(Glow(cx, cy, (R - L) * 1.2, (255, 250, 236), 0.35))
            fy = cam.sy(0.0, dw - 3.0)
            self.glows.append(Glow(cx, fy, (R - L) * 1.4, (255, 244, 220), 0.22, squash=0.3))

    def _shelf(self, pen: Pen, x: float, dw: float, rng: np.random.Generator) -> None:
        cam = self.cam
        k = cam.scale(dw)
        wood = self.lit(mix((140, 96, 62), self.palette[2], 0.15))
        for level in (6.2, 8.4):
            l, t = cam.pt(x - 3.2, level, dw)
            r, _ = cam.pt(x + 3.2, level, dw)
            pen.rect((l, t, r, t + 0.25 * k), wood)
            bx = x - 3.0
            while bx < x + 2.6:
                bw = float(rng.uniform(0.3, 0.6))
                bh = float(rng.uniform(1.1, 1.8))
                col = self.lit(tuple(int(v) for v in rng.choice(
                    [self.palette[1], self.palette[2], self.palette[3], (120, 90, 70), (200, 190, 170)])))
                pen.rect((*cam.pt(bx, level + bh, dw), *cam.pt(bx + bw, level, dw)), col)
                bx += bw + float(rng.uniform(0.02, 0.3))

    def _frames(self, pen: Pen, x: float, dw: float, rng: np.random.Generator) -> None:
        cam = self.cam
        k = cam.scale(dw)
        for i in range(2):
            fx = x + i * 2.4 * (1 if x > 0 else -1)
            fy = 8.2 + 0.8 * i
            l, t = cam.pt(fx - 0.9, fy + 1.2, dw)
            r, b = cam.pt(fx + 0.9, fy - 1.2, dw)
            pen.rect((l - 0.15 * k, t - 0.15 * k, r + 0.15 * k, b + 0.15 * k), self.lit((90, 66, 50)))
            pen.rect((l, t, r, b), self.lit(mix((220, 210, 190), self.palette[4], 0.3)))
            pen.circle((l + r) / 2, t + (b - t) * 0.4, 0.3 * k, self.lit((150, 120, 100)))
            pen.ellipse(((l + r) / 2 - 0.55 * k, t + (b - t) * 0.62, (l + r) / 2 + 0.55 * k, b + 0.4 * k),
                        self.lit(self.palette[1]))

    def _plant(self, pen: Pen, x: float, dist: float) -> None:
        cam = self.cam
        k = cam.scale(dist)
        bx, by = cam.pt(x, 0.0, dist)
        pen.poly([(bx - 1.0 * k, by - 2.2 * k), (bx + 1.0 * k, by - 2.2 * k), (bx + 0.7 * k, by),
                  (bx - 0.7 * k, by)],
                 self.lit((176, 100, 70)))
        leaf = self.lit((80, 130, 80))
        for a in (-1.6, -0.8, 0.0, 0.8, 1.6):
            pen.line([(bx, by - 2.2 * k), (bx + a * 1.3 * k, by - (4.6 - abs(a) * 0.6) * k)], leaf, 0.55 * k)

    def _sofa(self, pen: Pen, x: float, dist: float) -> None:
        cam = self.cam
        col = self.lit(mix(self.palette[1], (120, 110, 100), 0.4))
        pen.rect((*cam.pt(x - 6, 4.4, dist), *cam.pt(x + 6, 0.5, dist)), col, radius=0.6 * cam.scale(dist))
        pen.rect((*cam.pt(x - 5.4, 2.6, dist - 0.5), *cam.pt(x + 5.4, 1.0, dist - 0.5)), scale_rgb(col, 1.08),
                 radius=0.4 * cam.scale(dist))

    def _bed(self, pen: Pen, x: float, dist: float) -> None:
        cam = self.cam
        k = cam.scale(dist)
        wood = self.lit((140, 100, 70))
        pen.rect((*cam.pt(x - 5, 5.0, dist + 1), *cam.pt(x + 5, 0.0, dist + 1)), wood, radius=0.3 * k)
        sheet = self.lit(mix((236, 232, 224), self.palette[4], 0.3))
        pen.rect((*cam.pt(x - 5.2, 2.8, dist), *cam.pt(x + 5.2, 1.0, dist)), sheet, radius=0.4 * k)
        pen.rect((*cam.pt(x - 4.8, 2.7, dist - 0.5), *cam.pt(x + 1.5, 1.4, dist - 0.5)),
                 self.lit(mix(self.palette[3], self.palette[1], 0.5)), radius=0.4 * k)

    def _lamp(self, pen: Pen, rng: np.random.Generator, dw: float) -> None:
        """A pendant lamp over the middle of the room (or a table lamp in close framings)."""
        cam, s = self.cam, self.setting
        x = float(rng.uniform(-3.5, 3.5))
        dist = cam.d + float(rng.uniform(1.5, 3.0))
        k = cam.scale(dist)
        ancient = s.genre == "ancient-style"
        top = cam.sy(13.0, dist)
        cx, cy = cam.pt(x, 10.0, dist)
        on = s.dark or "lamp" in s.props
        if cy < -2 * k:
            return
        pen.line([(cx, min(top, cy)), (cx, cy - 0.8 * k)], self.lit((50, 44, 44)), 0.06 * k, caps=False)
        if ancient:
            pen.ellipse((cx - 1.0 * k, cy - 1.2 * k, cx + 1.0 * k, cy + 1.2 * k), (214, 60, 44))
        else:
            shade = mix(self.palette[2], (240, 220, 180), 0.4)
            pen.poly([(cx - 0.5 * k, cy - 0.9 * k), (cx + 0.5 * k, cy - 0.9 * k), (cx + 1.5 * k,
                                                                                   cy + 0.3 * k),
                      (cx - 1.5 * k, cy + 0.3 * k)], shade if on else self.lit(shade))
        if on:
            pen.ellipse((cx - 0.6 * k, cy + 0.1 * k, cx + 0.6 * k, cy + 0.5 * k), (255, 244, 210))
            self.glows.append(Glow(cx, cy, 14 * k, self.mood.practical, 0.55 + 0.25 * self.mood.glow))
            fy = cam.sy(3.0, cam.d - 1.0)
            self.glows.append(Glow(cx, fy, 10 * k, self.mood.practical, 0.25, squash=0.35))

    def _kitchen(self, pen: Pen, dw: float, rng: np.random.Generator) -> None:
        cam = self.cam
        k = cam.scale(dw)
        d = dw - 1.2
        body = self.lit(mix((220, 214, 200), self.palette[4], 0.3))
        top = self.lit((120, 110, 104))
        pen.rect((*cam.pt(-30, 3.6, d), *cam.pt(30, 0.0, d)), body)
        pen.rect((*cam.pt(-30, 3.8, d), *cam.pt(30, 3.5, d)), top)
        for i in range(-6, 7):
            pen.line([cam.pt(i * 4.0, 3.4, d - 0.01), cam.pt(i * 4.0, 0.3, d - 0.01)],
                     scale_rgb(body, 0.85), 0.06 * k, caps=False)
        # cabinets above
        pen.rect((*cam.pt(-30, 10.6, dw), *cam.pt(30, 8.0, dw)), scale_rgb(body, 0.95))
        # stove with a pot and steam
        sx = float(rng.uniform(-6, 6))
        px, py = cam.pt(sx, 3.8, d)
        kk = cam.scale(d)
        pen.rect((px - 1.6 * kk, py - 1.4 * kk, px + 1.6 * kk, py), self.lit((70, 70, 76)), radius=0.3 * kk)
        pen.rect((px - 1.9 * kk, py - 1.55 * kk, px + 1.9 * kk, py - 1.25 * kk), self.lit((90, 90, 96)))
        self._steam(pen, px, py - 1.6 * kk, kk)

    def _steam(self, pen: Pen, x: float, y: float, k: float) -> None:
        col = (255, 255, 255)
        for i, off in enumerate((-0.35, 0.05, 0.4)):
            pts = [(x + off * k + np.sin(j * 1.1 + i * 2.0) * 0.18 * k, y - j * 0.45 * k) for j in range(7)]
            pen.line([(float(a), float(b)) for a, b in pts[:5]], col, 0.05 * k, 46)

    def _blackboard(self, pen: Pen, dw: float, rng: np.random.Generator) -> None:
        cam = self.cam
        k = cam.scale(dw)
        pen.rect((*cam.pt(-8, 9.6, dw), *cam.pt(6, 4.6, dw)), (180, 150, 110))
        pen.rect((*cam.pt(-7.7, 9.3, dw), *cam.pt(5.7, 4.9, dw)), self.lit((48, 80, 66)))
        for i in range(3):
            x0 = float(rng.uniform(-7, -2))
            pen.line([cam.pt(x0, 8.4 - i * 1.1, dw), cam.pt(x0 + float(rng.uniform(3, 8)),
                                                            8.4 - i * 1.1, dw)],
                     (226, 230, 220), 0.1 * k, 170)
        for i in range(-2, 3):
            self._desk(pen, i * 6.0 + 1.0, cam.d + 3.5)

    def _desk(self, pen: Pen, x: float, dist: float) -> None:
        cam = self.cam
        k = cam.scale(dist)
        wood = self.lit((176, 140, 98))
        pen.rect((*cam.pt(x - 2.2, 3.1, dist), *cam.pt(x + 2.2, 2.8, dist)), wood)
        for px in (x - 1.9, x + 1.9):
            pen.line([cam.pt(px, 2.8, dist), cam.pt(px, 0.0, dist)], self.lit((80, 80, 86)), 0.15 * k,
                     caps=False)

    def _office(self, pen: Pen, dw: float, rng: np.random.Generator) -> None:
        cam = self.cam
        for i in range(-2, 3):
            x = i * 7.0 + float(rng.uniform(-1, 1))
            dist = cam.d + 4.5
            k = cam.scale(dist)
            self._desk(pen, x, dist)
            l, t = cam.pt(x - 1.2, 5.4, dist + 0.3)
            r, b = cam.pt(x + 1.2, 3.6, dist + 0.3)
            pen.rect((l, t, r, b), self.lit((40, 42, 50)))
            glowc = (180, 210, 240)
            pen.rect((l + 0.1 * k, t + 0.1 * k, r - 0.1 * k, b - 0.1 * k),
                     glowc if self.setting.dark else self.lit(glowc))
            if self.setting.dark:
                self.glows.append(Glow((l + r) / 2, (t + b) / 2, 4 * k, (160, 200, 255), 0.35))

    def _cafe(self, pen: Pen, dw: float, rng: np.random.Generator) -> None:
        cam = self.cam
        d = dw - 1.0
        k = cam.scale(d)
        counter = self.lit(mix((130, 88, 60), self.palette[2], 0.2))
        cx = float(rng.uniform(-10, -4)) * (1 if rng.random() < 0.5 else -1)
        pen.rect((*cam.pt(cx - 7, 4.0, d), *cam.pt(cx + 7, 0.0, d)), counter)
        pen.rect((*cam.pt(cx - 7.3, 4.3, d), *cam.pt(cx + 7.3, 3.9, d)), scale_rgb(counter, 1.2))
        board = self.lit((50, 56, 52))
        pen.rect((*cam.pt(cx - 4, 10.0, dw), *cam.pt(cx + 4, 7.0, dw)), board)
        for i in range(3):
            pen.line([cam.pt(cx - 3.2, 9.3 - i * 0.8, dw), cam.pt(cx + float(rng.uniform(0, 3)),
                                                                  9.3 - i * 0.8, dw)],
                     (236, 230, 210), 0.08 * cam.scale(dw), 180)
        for i in range(3):
            lx = cx - 5 + i * 5
            px, py = cam.pt(lx, 8.8, d)
            pen.line([(px, cam.sy(13.0, d)), (px, py)], (40, 36, 36), 0.05 * k, caps=False)
            pen.poly([(px - 0.4 * k, py), (px + 0.4 * k, py), (px + 0.9 * k, py + 0.8 * k),
                      (px - 0.9 * k, py + 0.8 * k)],
                     self.lit(self.palette[3], 0, 0.9))
            self.glows.append(Glow(px, py + 0.8 * k, 5 * k, self.mood.practical, 0.5))

    def _table(self, pen: Pen, r: float, back: float) -> None:
        """A dinner table whose far edge is `back` hu from the camera, with the meal on it.

        A cloth in the palette's accent covers it, so it reads as a quiet colour field
        rather than a slab of dark wood.
        """
        cam, s = self.cam, self.setting
        front = back - 1.2
        if front < 0.8:
            return
        top_y = cam.sy(2.7, back)
        front_y = cam.sy(2.7, front)
        if top_y > self.H:
            return
        cloth = self.lit(mix(self.palette[3], (244, 238, 226), 0.55), 0, 1.05)
        hem = self.lit(mix(self.palette[3], self.palette[0], 0.25), 0, 1.0)
        L, R = cam.sx(-9.0, back), cam.sx(9.0, back)
        L2, R2 = cam.sx(-9.6, front), cam.sx(9.6, front)
        pen.poly([(L, top_y), (R, top_y), (R2, front_y), (L2, front_y)], cloth)
        kf = cam.scale(front)
        drop = front_y + 0.8 * kf
        pen.rect((L2, front_y, R2, drop), scale_rgb(cloth, 0.88))
        pen.rect((L2, drop - 0.14 * kf, R2, drop), hem)
        # below: the table's shadow on the floor, warm rather than black
        under = mix(self.lit((120, 86, 60)), self.palette[0], 0.45)
        pen.rect((L2, drop, R2, self.H + 10), under)
        # the meal: a plate of dumplings, a bowl, steam
        cy = top_y + (front_y - top_y) * 0.55
        kk = cam.scale((back + front) / 2)
        bx = cam.sx(-1.1 + r * 0.8, (back + front) / 2)
        pen.ellipse((bx - 0.85 * kk, cy - 0.24 * kk, bx + 0.85 * kk, cy + 0.24 * kk), self.lit((246,
                                                                                                244, 238)))
        for j in range(4):
            dx = (j - 1.5) * 0.34 * kk
            pen.ellipse((bx + dx - 0.2 * kk, cy - 0.2 * kk, bx + dx + 0.2 * kk, cy + 0.02 * kk),
                        self.lit((252, 244, 226)))
        ox = cam.sx(0.9 + r * 0.6, (back + front) / 2)
        pen.ellipse((ox - 0.5 * kk, cy - 0.4 * kk, ox + 0.5 * kk, cy + 0.18 * kk),
                    self.lit(self.palette[1], 0, 0.9))
        pen.ellipse((ox - 0.44 * kk, cy - 0.4 * kk, ox + 0.44 * kk, cy - 0.24 * kk), self.lit((236, 226,
                                                                                               206)))
        if "steam" in s.props or "table" in s.props:
            self._steam(pen, ox, cy - 0.4 * kk, kk * 0.8)

    # ---------------------------------------------------------------- weather
    def _rain(self, pen: Pen, rng: np.random.Generator, heavy: bool) -> None:
        W, H = self.W, self.H
        n = int((W * H) / (5200 if heavy else 12000))
        xs = rng.uniform(-0.1 * W, 1.1 * W, n)
        ys = rng.uniform(-0.05 * H, H, n)
        ln = rng.uniform(0.012, 0.04, n) * H
        al = rng.integers(40, 110, n)
        col = mix(self.mood.sky[2], (230, 236, 246), 0.7)
        wid = max(1.0, H / 1300)
        for x, y, l_, a in zip(xs, ys, ln, al):
            pen.line([(float(x), float(y)), (float(x - l_ * 0.18), float(y + l_))], col, wid, int(a),
                     caps=False)

    def _snow(self, pen: Pen, rng: np.random.Generator) -> None:
        W, H = self.W, self.H
        n = int(W * H / 7000)
        # flakes of three depths: the near ones large and soft, the far ones small and dim
        for x, y, r in zip(rng.uniform(0, W, n), rng.uniform(0, H, n), rng.uniform(0.0, 1.0, n)):
            size = (1.2 + 5.0 * float(r) ** 3) * H / 1920
            pen.circle(float(x), float(y), size, (250, 250, 255), int(120 + 110 * (1 - float(r))))

    def _petals(self, pen: Pen, rng: np.random.Generator) -> None:
        W, H = self.W, self.H
        n = int(W * H / 40000)
        for x, y, r in zip(rng.uniform(0, W, n), rng.uniform(0, H, n), rng.uniform(3, 7, n) * H / 1920):
            pen.ellipse((float(x - r), float(y - r * 0.6), float(x + r), float(y + r * 0.6)), (248, 196,
                                                                                               210), 220)
