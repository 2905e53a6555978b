"""Characters as stylised figures: one stable look per character, drawn at any framing.

Why a module of its own: a film is recognisable when its people are. A character's look is
derived once, deterministically, from its bible entry (id, look and wardrobe words, colour):
hair colour and style, build, height, skin, the colour of the coat and of the scarf. The
seed of a shot never enters it, so the same character wears the same red scarf in every
shot, and two characters (different ids, different words) come out different.

The words are read in English and Chinese ("grey hair", "白发", "red scarf", "红围巾").
A figure is a list of primitive shapes in head units (feet at the origin, y up); the
renderer places it in the frame at a given scale and draws an outer outline first, then the
fills, so the figure reads against any background.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from microfilm.providers.base import CharacterLook
from microfilm.providers.house.drawing import RGB, Pen, hex_rgb, mix, rng_for, scale_rgb

# ---- words -----------------------------------------------------------------------------

# Colour words, English and Chinese. Longer words first where one contains another.
COLOUR_WORDS: tuple[tuple[str, RGB], ...] = (
    ("navy", (36, 46, 84)), ("藏青", (36, 46, 84)), ("深蓝", (38, 56, 110)),
    ("海军蓝", (36, 46, 84)), ("sky blue", (120, 170, 220)), ("light blue", (140, 180, 225)),
    ("天蓝", (120, 170, 220)), ("浅蓝", (140, 180, 225)), ("denim", (70, 100, 150)),
    ("牛仔", (70, 100, 150)), ("blue", (55, 95, 170)), ("蓝", (55, 95, 170)),
    ("紫红", (146, 46, 86)), ("玫红", (206, 60, 110)), ("橘红", (226, 96, 52)),
    ("粉红", (236, 150, 170)), ("crimson", (170, 30, 45)), ("scarlet", (210, 40, 40)), ("maroon", (110, 30, 40)),
    ("burgundy", (110, 30, 45)), ("酒红", (120, 30, 45)), ("枣红", (130, 40, 40)),
    ("红", (200, 50, 45)), ("red", (200, 50, 45)),
    ("pink", (236, 150, 170)), ("粉", (236, 150, 170)), ("rose", (214, 110, 130)),
    ("orange", (232, 128, 48)), ("橙", (232, 128, 48)), ("橘", (232, 128, 48)),
    ("mustard", (205, 160, 40)), ("gold", (210, 170, 60)), ("金", (210, 170, 60)),
    ("yellow", (240, 200, 60)), ("黄", (240, 200, 60)),
    ("beige", (222, 202, 168)), ("米色", (222, 202, 168)), ("米白", (235, 225, 205)),
    ("cream", (240, 230, 205)), ("奶白", (240, 230, 205)), ("ivory", (240, 234, 214)),
    ("khaki", (190, 170, 120)), ("卡其", (190, 170, 120)), ("tan", (200, 160, 110)),
    ("camel", (190, 140, 90)), ("驼", (190, 140, 90)),
    ("brown", (118, 80, 52)), ("棕", (118, 80, 52)), ("褐", (110, 75, 50)),
    ("咖啡", (110, 75, 50)),
    ("olive", (110, 120, 60)), ("teal", (40, 120, 120)), ("cyan", (60, 170, 180)),
    ("green", (70, 140, 80)), ("绿", (70, 140, 80)), ("青", (50, 130, 120)),
    ("lavender", (180, 160, 210)), ("purple", (120, 70, 150)), ("violet", (130, 80, 170)),
    ("紫", (120, 70, 150)),
    ("charcoal", (60, 62, 68)), ("silver", (190, 190, 195)), ("银", (190, 190, 195)),
    ("grey", (130, 130, 135)), ("gray", (130, 130, 135)), ("灰", (130, 130, 135)),
    ("white", (238, 236, 230)), ("白", (238, 236, 230)),
    ("black", (36, 36, 42)), ("黑", (36, 36, 42)), ("dark", (50, 50, 60)),
)

HAIR_COLOURS: dict[str, RGB] = {
    "black": (28, 26, 30), "dark": (40, 32, 30), "brown": (92, 60, 40), "blonde": (222, 186, 110),
    "red": (160, 66, 36), "grey": (156, 156, 158), "white": (224, 222, 216),
    "salt": (120, 118, 118),
}
HAIR_WORDS: tuple[tuple[str, str], ...] = (
    ("salt-and-pepper", "salt"), ("salt and pepper", "salt"), ("花白", "salt"),
    ("grey hair", "grey"), ("gray hair", "grey"), ("grey-haired", "grey"),
    ("gray-haired", "grey"), ("greying", "salt"), ("graying", "salt"), ("silver hair", "white"),
    ("white hair", "white"), ("white-haired", "white"), ("白发", "white"), ("银发", "white"),
    ("灰发", "grey"), ("blonde", "blonde"), ("blond", "blonde"), ("金发", "blonde"),
    ("red hair", "red"), ("ginger", "red"), ("红发", "red"), ("brown hair", "brown"),
    ("棕发", "brown"), ("栗色", "brown"), ("black hair", "black"), ("黑发", "black"),
    ("乌黑", "black"),
)
HAIR_STYLES: tuple[tuple[str, str], ...] = (
    ("ponytail", "ponytail"), ("pony tail", "ponytail"), ("马尾", "ponytail"),
    ("bun", "bun"), ("发髻", "bun"), ("盘发", "bun"), ("丸子头", "bun"), ("topknot", "bun"),
    ("束发", "bun"), ("发簪", "bun"), ("hairpin", "bun"), ("updo", "bun"), ("盘起", "bun"),
    ("挽起", "bun"), ("抓夹", "bun"), ("hair up", "bun"), ("pinned up", "bun"),
    ("braid", "braid"), ("plait", "braid"), ("辫", "braid"),
    ("bob", "bob"), ("齐耳", "bob"), ("波波头", "bob"), ("短发", "short"), ("short hair", "short"),
    ("crew cut", "short"), ("寸头", "short"), ("buzz", "short"),
    ("bald", "bald"), ("光头", "bald"), ("秃", "bald"),
    ("curly", "curly"), ("curls", "curly"), ("卷发", "curly"),
    ("long hair", "long"), ("长发", "long"), ("披肩", "long"),
)
# A colour or length said in the same clause as "hair" / "发": "long black hair", "乌黑的长发".
HAIR_CLAUSE = ("hair", "haired", "发", "头发")
HAIR_CLAUSE_COLOURS: tuple[tuple[str, str], ...] = (
    ("greying", "salt"), ("graying", "salt"), ("grey", "grey"), ("gray", "grey"), ("灰", "grey"),
    ("silver", "white"), ("white", "white"), ("白", "white"), ("银", "white"),
    ("black", "black"), ("dark", "dark"), ("黑", "black"), ("乌", "black"),
    ("chestnut", "brown"), ("brown", "brown"), ("棕", "brown"), ("栗", "brown"),
    ("golden", "blonde"), ("blonde", "blonde"), ("blond", "blonde"), ("金", "blonde"),
    ("auburn", "red"), ("red", "red"), ("红", "red"),
)
HAIR_CLAUSE_STYLES: tuple[tuple[str, str], ...] = (
    ("curly", "curly"), ("卷", "curly"), ("long", "long"), ("长", "long"), ("wavy", "long"),
    ("flowing", "long"), ("short", "short"), ("cropped", "short"), ("短", "short"),
)

FEMALE = ("woman", "women", "female", "girl", "she", "her", "mother", "mom", "mum", "grandma",
          "granny", "grandmother", "aunt", "sister", "daughter", "wife", "lady", "女", "妈", "母",
          "奶奶", "外婆", "姥姥", "姐", "妹", "姑", "婶", "姨", "妻", "娘", "她", "小姐",
          "女士", "大妈", "媳妇")
MALE = ("man", "men", "male", "boy", "he", "his", "him", "father", "dad", "grandpa",
        "grandfather", "uncle", "brother", "son", "husband", "gentleman", "beard", "男", "爸",
        "父", "爷", "外公", "姥爷", "哥", "弟", "叔", "伯", "丈夫", "他", "胡子", "胡须", "书生",
        "公子", "少爷", "先生", "小伙", "汉子", "scholar", "老头", "老汉")
ELDERLY = ("old", "elderly", "aged", "grandma", "granny", "grandmother", "grandpa",
           "grandfather", "senior", "wrinkled", "wrinkles", "老人", "老太", "老头", "老奶奶",
           "老爷爷", "老妇", "老汉", "年老", "苍老", "老年", "外婆", "外公", "奶奶", "爷爷",
           "姥姥", "姥爷", "年迈", "皱纹", "白发", "花白", "银发", "七十", "八十", "六十")
CHILD = ("child", "kid", "little girl", "little boy", "toddler", "孩子", "小孩", "小女孩",
         "小男孩", "儿童", "童", "幼")
YOUTH = ("teen", "student", "schoolgirl", "schoolboy", "young", "学生", "少年", "少女", "年轻")
SLIM = ("slim", "thin", "slender", "skinny", "lean", "瘦", "纤细", "单薄")
STOUT = ("stout", "heavy", "plump", "chubby", "burly", "broad", "stocky", "big-bellied", "fat",
         "胖", "壮", "魁梧", "敦实", "圆润")
TALL = ("tall", "lanky", "高个", "高大", "高挑", "修长")
SHORT = ("petite", "diminutive", "short stature", "short-statured", "矮", "小个子", "娇小")
PALE = ("pale", "fair", "白皙", "苍白")
TANNED = ("tan", "tanned", "dark-skinned", "weathered", "sun-browned", "黝黑", "古铜", "黑黝",
          "晒黑")

TOPS: tuple[tuple[str, str], ...] = (
    ("qipao", "dress"), ("旗袍", "dress"), ("cheongsam", "dress"),
    ("hanfu", "robe"), ("汉服", "robe"), ("robe", "robe"), ("长袍", "robe"), ("长衫", "robe"),
    ("袍", "robe"), ("gown", "dress"), ("dress", "dress"), ("连衣裙", "dress"),
    ("overcoat", "coat"), ("trench", "coat"), ("raincoat", "coat"), ("大衣", "coat"), ("风衣", "coat"),
    ("coat", "coat"), ("parka", "coat"), ("棉袄", "coat"), ("羽绒服", "coat"),
    ("jacket", "jacket"), ("夹克", "jacket"), ("外套", "jacket"), ("blazer", "jacket"),
    ("suit", "suit"), ("西装", "suit"), ("uniform", "uniform"), ("校服", "uniform"),
    ("制服", "uniform"), ("hoodie", "sweater"), ("卫衣", "sweater"), ("sweater", "sweater"),
    ("jumper", "sweater"), ("cardigan", "sweater"), ("毛衣", "sweater"), ("开衫", "sweater"),
    ("shirt", "shirt"), ("衬衫", "shirt"), ("blouse", "shirt"), ("t恤", "shirt"),
    ("tee", "shirt"), ("衫", "shirt"), ("vest", "shirt"), ("背心", "shirt"),
)
BOTTOMS: tuple[tuple[str, str], ...] = (
    ("jeans", "trousers"), ("牛仔裤", "trousers"), ("skirt", "skirt"), ("半身裙", "skirt"),
    ("短裙", "skirt"), ("长裙", "long-skirt"), ("trousers", "trousers"), ("pants", "trousers"),
    ("slacks", "trousers"), ("裤", "trousers"), ("shorts", "shorts"), ("短裤", "shorts"),
)


@lru_cache(maxsize=None)
def _word_re(word: str) -> re.Pattern[str]:
    """English words match whole words ("red" is not in "tired"); Chinese ones as substrings."""
    w = word.strip()
    if w.isascii():
        return re.compile(r"(?<![a-z])" + re.escape(w) + r"(?![a-z])")
    return re.compile(re.escape(w))


def _in(word: str, text: str) -> bool:
    return _word_re(word).search(text) is not None


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(_in(w, text) for w in words)


def _clauses(text: str) -> list[str]:
    """Split a description into clauses; a colour word belongs to the noun in its clause."""
    parts = re.split(r"[,;，；、。.!！/]|\band\b|\bwith\b|\bover\b|和|与|配|搭|戴着|戴|穿着|穿", text)
    return [p.strip() for p in parts if p and p.strip()]


def _colour_in(clause: str) -> RGB | None:
    for word, rgb in COLOUR_WORDS:
        if _in(word, clause):
            return rgb
    return None


def _item_colour(text: str, nouns: tuple[str, ...]) -> tuple[bool, RGB | None]:
    """(mentioned, colour) for the first clause naming one of `nouns`."""
    for clause in _clauses(text):
        if any(_in(n, clause) for n in nouns):
            return True, _colour_in(clause)
    return False, None


# ---- the look --------------------------------------------------------------------------

SKINS: tuple[RGB, ...] = ((246, 214, 186), (238, 200, 168), (230, 190, 152), (222, 178, 140),
                          (206, 158, 120), (176, 124, 92))


@dataclass(frozen=True)
class Look:
    """Everything needed to draw one character the same way in every shot."""

    id: str
    skin: RGB
    hair: RGB
    hair_style: str  # short | long | bob | bun | ponytail | braid | bald | curly
    female: bool
    age: str  # child | youth | adult | elderly
    height: float  # relative to an adult (1.0)
    width: float  # build: 0.85 slim .. 1.2 stout
    top: RGB
    top_kind: str  # coat | jacket | suit | uniform | sweater | shirt | dress | robe
    bottom: RGB
    bottom_kind: str  # trousers | skirt | long-skirt | shorts | none (dress, robe)
    shoes: RGB
    scarf: RGB | None = None
    hat: RGB | None = None
    glasses: bool = False
    apron: RGB | None = None
    beard: bool = False
    bag: RGB | None = None
    tags: tuple[str, ...] = field(default=())

    @property
    def head_units(self) -> float:
        """The figure's height in head heights (children have big heads)."""
        return {"child": 5.0, "youth": 6.6, "elderly": 6.5}.get(self.age, 6.9)


@lru_cache(maxsize=256)
def look_of(character: CharacterLook, genre: str = "") -> Look:
    """The character's look: the words decide, the id's hash fills in what they leave open."""
    words = f" {character.look} ".casefold()
    ward = f" {character.wardrobe} ".casefold()
    # who they are (外婆, "Father", id "grandma") hints at age and gender, never at colours
    who = f" {character.name} {character.id.replace('-', ' ')} ".casefold()
    both = words + " " + ward + " " + who
    rng = rng_for("figure", character.id, character.look, character.wardrobe)
    picks = rng.random(12)

    female = _has(both, FEMALE) and not (_has(words, MALE) and not _has(words, FEMALE))
    if not _has(both, FEMALE) and not _has(both, MALE):
        female = picks[0] < 0.5
    if _has(words, CHILD):
        age = "child"
    elif _has(words + who, ELDERLY):
        age = "elderly"
    elif _has(words, YOUTH):
        age = "youth"
    else:
        age = "adult"

    hair_clauses = [c for c in _clauses(words) if _has(c, HAIR_CLAUSE)]
    hair_key = next((key for w, key in HAIR_WORDS if _in(w, words)), None) or next(
        (key for c in hair_clauses for w, key in HAIR_CLAUSE_COLOURS if _in(w, c)), None)
    if hair_key is None:
        if age == "elderly":
            hair_key = "salt" if picks[1] < 0.4 else "grey"
        else:
            hair_key = "black" if picks[1] < 0.55 else ("dark" if picks[1] < 0.85 else "brown")
    style = next((st for w, st in HAIR_STYLES if _in(w, words)), None) or next(
        (st for c in hair_clauses for w, st in HAIR_CLAUSE_STYLES if _in(w, c)), None)
    if style is None and genre == "ancient-style":
        style = "bun" if not female or picks[2] < 0.5 else "long"  # a topknot, an updo
    if style is None:
        if female:
            options = ("bun", "bob", "short") if age == "elderly" else ("long", "ponytail", "bob",
                                                                        "long", "braid")
        else:
            options = ("short", "short", "bald") if age == "elderly" else ("short", "short", "curly")
        style = options[int(picks[2] * len(options)) % len(options)]

    height = {"child": 0.6, "youth": 0.97, "elderly": 0.93}.get(age, 1.0)
    if _has(words, TALL):
        height *= 1.07
    if _has(words, SHORT):
        height *= 0.93
    height *= 1.0 if female is False else 0.96
    height *= 0.98 + 0.04 * picks[3]
    width = 1.0 + 0.06 * (picks[4] - 0.5)
    if _has(words, SLIM):
        width = 0.86
    if _has(words, STOUT):
        width = 1.2

    skin_i = 1 + int(picks[5] * 3)
    if _has(words, PALE):
        skin_i = 0
    if _has(words, TANNED):
        skin_i = 4 + int(picks[5] * 2)
    skin = SKINS[min(skin_i, len(SKINS) - 1)]

    top_kind = next((k for w, k in TOPS if _in(w, ward)), None)
    if top_kind is None:
        if genre == "ancient-style":
            top_kind = "robe"
        else:
            top_kind = ("coat", "jacket", "sweater", "shirt")[int(picks[6] * 4) % 4]
    own = hex_rgb(character.color, (192, 160, 128))
    top_nouns = tuple(w for w, k in TOPS if k == top_kind)
    _, named_top = _item_colour(ward, top_nouns)
    # the bible's colour is the character's signature; a garment colour the words name
    # wins only where it plainly disagrees with it ("blue coat" on a beige default)
    top = own
    if named_top is not None and sum(abs(a - b) for a, b in zip(named_top, own)) > 150:
        top = named_top

    bottom_kind = "none" if top_kind in ("dress", "robe") else next(
        (k for w, k in BOTTOMS if _in(w, ward)), "skirt" if (female and picks[7] < 0.35) else "trousers")
    _, named_bottom = _item_colour(ward, tuple(w for w, k in BOTTOMS if k == bottom_kind))
    bottom = named_bottom or mix(scale_rgb(own, 0.35), (40, 44, 60), 0.6)
    if bottom_kind == "trousers" and not named_bottom and picks[8] < 0.3:
        bottom = (62, 84, 120)  # jeans

    scarf_said, scarf_col = _item_colour(ward + " " + words, ("scarf", "围巾", "披肩", "shawl"))
    scarf = (scarf_col or mix(own, (230, 60, 60), 0.6)) if scarf_said else None
    hat_said, hat_col = _item_colour(ward + " " + words, ("hat", "cap", "beanie", "帽", "斗笠"))
    hat = (hat_col or scale_rgb(own, 0.6)) if hat_said else None
    apron_said, apron_col = _item_colour(ward, ("apron", "围裙"))
    apron = (apron_col or (236, 226, 205)) if apron_said else None
    bag_said, bag_col = _item_colour(ward, ("bag", "backpack", "satchel", "书包", "背包", "包"))
    bag = (bag_col or (120, 80, 50)) if bag_said else None
    glasses = _has(both, ("glasses", "spectacles", "眼镜"))
    beard = (not female) and _has(words, ("beard", "stubble", "moustache", "mustache", "胡子", "胡须", "胡茬"))
    _, shoe_col = _item_colour(ward, ("shoes", "boots", "sneakers", "鞋", "靴"))
    shoes = shoe_col or ((48, 40, 36) if picks[9] < 0.7 else (232, 230, 224))

    return Look(
        id=character.id, skin=skin, hair=HAIR_COLOURS[hair_key], hair_style=style,
        female=bool(female), age=age, height=float(height), width=float(width), top=top,
        top_kind=top_kind, bottom=bottom, bottom_kind=bottom_kind, shoes=shoes, scarf=scarf,
        hat=hat, glasses=glasses, apron=apron, beard=beard, bag=bag,
        tags=("ancient",) if genre == "ancient-style" else (),
    )


# ---- drawing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where a figure stands: feet at (x, ground) in frame pixels, `unit` px per head height."""

    x: float
    ground: float
    unit: float
    facing: float = 0.0  # -1 looks left, +1 right, 0 at the camera
    detail: float = 1.0  # 0 draws no face (tiny figures), 1 full face
    light: float = 0.0  # -1 light from the left, +1 from the right
    pose: str = "stand"  # stand | hands-front | hand-up: a shot's gesture, not the look

POSES = ("stand", "stand", "hands-front", "hand-up")


def _darker(c: RGB, k: float = 0.78) -> RGB:
    return scale_rgb(c, k)


class _Body:
    """Collects the figure's shapes in head units, then draws them twice (ink, then fill)."""

    def __init__(self, pen: Pen, p: Placement, ink: RGB, outline: float):
        self.pen = pen
        self.p = p
        self.ink = ink
        self.outline = outline
        self.shapes: list[tuple] = []

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return (self.p.x + x * self.p.unit, self.p.ground - y * self.p.unit)

    def poly(self, pts: list[tuple[float, float]], fill: RGB, ink: bool = True) -> None:
        self.shapes.append(("poly", [self.xy(*q) for q in pts], fill, ink))

    def ell(self, cx: float, cy: float, rx: float, ry: float, fill: RGB, ink: bool = True,
            alpha: int | None = None) -> None:
        (x, y) = self.xy(cx, cy)
        u = self.p.unit
        self.shapes.append(("ell", (x - rx * u, y - ry * u, x + rx * u, y + ry * u), fill, ink, alpha))

    def limb(self, pts: list[tuple[float, float]], width: float, fill: RGB, ink: bool = True) -> None:
        self.shapes.append(("line", [self.xy(*q) for q in pts], fill, ink, width * self.p.unit))

    def draw(self) -> None:
        o = self.outline
        if o > 0:
            for s in self.shapes:
                if not s[3]:
                    continue
                if s[0] == "poly":
                    self.pen.poly(s[1], self.ink)
                    self.pen.line(s[1] + [s[1][0]], self.ink, 2 * o, caps=False)
                elif s[0] == "ell":
                    x0, y0, x1, y1 = s[1]
                    self.pen.ellipse((x0 - o, y0 - o, x1 + o, y1 + o), self.ink)
                else:
                    self.pen.line(s[1], self.ink, s[4] + 2 * o)
        for s in self.shapes:
            if s[0] == "poly":
                self.pen.poly(s[1], s[2])
            elif s[0] == "ell":
                self.pen.ellipse(s[1], s[2], s[4])
            else:
                self.pen.line(s[1], s[2], s[4])


def draw_figure(pen: Pen, look: Look, p: Placement, ink: RGB = (34, 28, 36)) -> None:
    """Draw one character. Head units: feet at y=0, head top near `look.head_units`."""
    hu = look.head_units
    W = look.width
    fem = look.female
    old = look.age == "elderly"
    child = look.age == "child"
    stoop = 0.12 if old else 0.0
    # skeleton heights (head units from the ground)
    head_c = hu - 0.52
    chin = hu - 1.0
    shoulder = chin - 0.22
    if child:
        hip = hu * 0.44
    else:
        hip = hu * 0.49
    knee = hip * 0.53
    waist = hip + (shoulder - hip) * 0.3
    sw = (0.78 if fem else 0.95) * W * (0.8 if child else 1.0)
    hw = (0.72 if fem else 0.66) * W * (0.8 if child else 1.0)
    f = p.facing
    lit = p.light
    outline = max(0.6, p.unit * 0.045)
    body = _Body(pen, p, ink, outline)
    skin, hair = look.skin, look.hair
    top = look.top
    top_sh = _darker(top, 0.8)
    sleeve = _darker(top, 0.9)
    hx = stoop + f * 0.05  # head offset (an old back bends the head forward a little)

    # hair behind the head
    style = look.hair_style
    if style == "long":
        body.poly([(-0.52 + hx, head_c + 0.25), (0.52 + hx, head_c + 0.25), (0.62 + hx, shoulder - 0.55),
                   (-0.62 + hx, shoulder - 0.55)], hair)
        body.ell(hx, head_c + 0.08, 0.56, 0.56, hair)
    elif style == "bob":
        body.poly([(-0.55 + hx, head_c + 0.2), (0.55 + hx, head_c + 0.2), (0.58 + hx, chin + 0.05),
                   (-0.58 + hx, chin + 0.05)], hair)
        body.ell(hx, head_c + 0.1, 0.56, 0.55, hair)
    elif style == "braid":
        side = -1 if f >= 0 else 1
        body.ell(hx, head_c + 0.08, 0.53, 0.55, hair)
        body.limb([(side * 0.42 + hx, head_c - 0.2), (side * 0.55, shoulder - 0.2),
                   (side * 0.5, shoulder - 1.1)], 0.22, hair)
    elif style == "ponytail":
        side = -1 if f >= 0 else 1
        body.ell(hx, head_c + 0.06, 0.52, 0.54, hair)
        body.limb([(side * 0.42 + hx, head_c + 0.25), (side * 0.62 + hx, head_c - 0.15),
                   (side * 0.58 + hx, chin - 0.2)], 0.2, hair)

    # legs and shoes
    if look.bottom_kind != "none":
        leg_col = look.bottom if look.bottom_kind in ("trousers",) else skin
        if look.bottom_kind in ("skirt", "long-skirt") and (old or look.top_kind == "coat"):
            leg_col = (62, 56, 62)  # winter tights
        for s in (-1, 1):
            body.limb([(s * 0.28 * W, hip), (s * 0.3 * W, knee), (s * 0.27 * W, 0.3)],
                      0.42 * W if leg_col != skin else 0.3, leg_col)
    else:
        for s in (-1, 1):
            body.limb([(s * 0.25, 0.9), (s * 0.25, 0.3)], 0.28, _darker(look.bottom, 0.7))
    for s in (-1, 1):
        body.ell(s * 0.3 * W + f * 0.12, 0.16, 0.3, 0.16, look.shoes)

    # lower garment
    hem = {"coat": knee + 0.35, "jacket": hip - 0.15, "suit": hip - 0.2, "uniform": hip - 0.25,
           "sweater": hip - 0.05, "shirt": hip - 0.1, "dress": knee - 0.35, "robe": 0.35}[look.top_kind]
    if look.bottom_kind == "skirt":
        body.poly([(-hw * 0.95, waist), (hw * 0.95, waist), (hw * 1.25, knee + 0.15),
                   (-hw * 1.25, knee + 0.15)], look.bottom)
    elif look.bottom_kind == "long-skirt":
        body.poly([(-hw * 0.95, waist), (hw * 0.95, waist), (hw * 1.35, 0.4), (-hw * 1.35, 0.4)],
                  look.bottom)
    elif look.bottom_kind == "shorts":
        body.poly([(-hw, waist), (hw, waist), (hw * 1.05, hip - 0.55), (-hw * 1.05, hip - 0.55)],
                  look.bottom)
    elif look.bottom_kind == "trousers":
        body.poly([(-hw, waist), (hw, waist), (hw * 0.98, hip - 0.2), (-hw * 0.98, hip - 0.2)],
                  look.bottom)

    body.limb([(hx * 0.6, shoulder + 0.1), (hx * 0.8, chin + 0.15)], 0.3, _darker(skin, 0.85))

    # torso and the garment's skirt (coat tails, dress, robe)
    flare = {"coat": 1.12, "dress": 1.35, "robe": 1.45}.get(look.top_kind, 1.0)
    neck_w = 0.22
    torso = [(-neck_w, shoulder + 0.12), (neck_w, shoulder + 0.12), (sw - 0.12, shoulder + 0.02),
             (sw, shoulder - 0.25), (hw * 1.02, waist), (hw * flare, hem), (-hw * flare, hem),
             (-hw * 1.02, waist), (-sw, shoulder - 0.25), (-sw + 0.12, shoulder + 0.02)]
    body.poly(torso, top)
    # shade on the side away from the light: a flat cel shadow
    side = -1 if lit >= 0 else 1
    body.poly([(side * sw, shoulder - 0.25), (side * sw * 0.55, shoulder - 0.1), (side * hw * 0.55, waist),
               (side * hw * flare * 0.62, hem), (side * hw * flare, hem), (side * hw * 1.02, waist)],
              top_sh, ink=False)
    if look.top_kind in ("coat", "jacket", "suit", "uniform"):
        # an open front: a lighter shirt and a lapel line
        inner = (236, 232, 222) if look.top_kind in ("suit", "uniform") else mix(top, (240, 236, 226), 0.55)
        body.poly([(-0.2, shoulder + 0.1), (0.2, shoulder + 0.1), (0.05 + f * 0.05, waist + 0.15),
                   (-0.05 + f * 0.05, waist + 0.15)], inner, ink=False)
        if look.top_kind == "suit":
            body.poly([(-0.05, shoulder + 0.05), (0.05, shoulder + 0.05), (0.07, waist + 0.35),
                       (0, waist + 0.2), (-0.07, waist + 0.35)], (150, 40, 48), ink=False)
        body.limb([(0.02 + f * 0.05, waist + 0.15), (0.02 + f * 0.05, hem + 0.05)], 0.035,
                  _darker(top, 0.6), ink=False)
    elif look.top_kind == "robe":
        # a crossed collar and a sash: the ancient silhouette
        body.poly([(-0.28, shoulder + 0.1), (-0.12, shoulder + 0.1), (0.3, waist + 0.1), (0.12, waist + 0.1)],
                  mix(top, (245, 240, 228), 0.6), ink=False)
        body.poly([(-hw * 1.05, waist + 0.18), (hw * 1.05, waist + 0.18), (hw * 1.06, waist - 0.12),
                   (-hw * 1.06, waist - 0.12)], _darker(top, 0.6), ink=False)
    elif look.top_kind == "uniform":
        pass
    if look.apron is not None:
        body.poly([(-hw * 0.7, shoulder - 0.45), (hw * 0.7, shoulder - 0.45), (hw * 0.9, hip - 0.7),
                   (-hw * 0.9, hip - 0.7)], look.apron, ink=False)
    if look.bag is not None:
        s = 1 if f <= 0 else -1
        body.limb([(-s * 0.35, shoulder + 0.05), (s * (hw + 0.1), hip + 0.1)], 0.07, _darker(look.bag, 0.7),
                  ink=False)
        body.poly([(s * (hw - 0.05), hip + 0.45), (s * (hw + 0.55), hip + 0.45), (s * (hw + 0.5), hip - 0.25),
                   (s * (hw - 0.02), hip - 0.25)], look.bag)

    # arms: sleeves a touch darker than the body so they read over it
    arm_w = 0.34 * W if not child else 0.3
    elbow_y = (shoulder + hip) / 2 + 0.1
    raised = 1 if f <= 0 else -1  # the arm nearer the camera's side of the gaze
    for s in (-1, 1):
        sx = s * (sw - 0.14)
        reach = 0.1 * f * s
        if p.pose == "hands-front":
            elbow = (s * (sw + 0.06), elbow_y)
            hand = (s * 0.16, hip + 0.3)
        elif p.pose == "hand-up" and s == raised:
            elbow = (s * (sw + 0.12), elbow_y - 0.1)
            hand = (s * 0.3, shoulder - 0.55)
        else:
            elbow = (s * (sw + 0.02) + reach, elbow_y)
            hand = (s * (sw - 0.05) + reach, hip - 0.2)
        wrist = (hand[0] + (elbow[0] - hand[0]) * 0.18, hand[1] + (elbow[1] - hand[1]) * 0.18)
        body.limb([(sx, shoulder - 0.12), elbow, wrist], arm_w, sleeve)
        if look.top_kind == "robe":
            body.ell(wrist[0], wrist[1] + 0.05, 0.28, 0.2, sleeve)
        body.ell(hand[0], hand[1], 0.16, 0.17, skin)

    # scarf, head (the neck went in before the torso, which hides its foot)
    if look.scarf is not None:
        sc = look.scarf
        body.poly([(-0.42, shoulder + 0.2), (0.42, shoulder + 0.2), (0.5, shoulder - 0.12),
                   (-0.5, shoulder - 0.12)], sc)
        tail = 0.18 if f <= 0 else -0.18
        body.poly([(tail - 0.14, shoulder + 0.02), (tail + 0.14, shoulder + 0.02), (tail + 0.2,
                                                                                    shoulder - 1.05),
                   (tail - 0.12, shoulder - 1.1)], _darker(sc, 0.88))
        body.limb([(tail - 0.1, shoulder - 0.95), (tail + 0.18, shoulder - 0.95)], 0.04, _darker(sc, 0.6),
                  ink=False)
    body.ell(hx - 0.41, head_c - 0.04, 0.09, 0.13, _darker(skin, 0.93))
    body.ell(hx + 0.41, head_c - 0.04, 0.09, 0.13, _darker(skin, 0.93))
    body.ell(hx, head_c, 0.41, 0.5, skin)

    # face: eyes follow the facing; detail fades out for tiny figures
    fx = hx + f * 0.12
    if p.detail > 0.15:
        eye_y = head_c - 0.06
        eye_dx = 0.15
        er = 0.055 if not child else 0.07
        for s in (-1, 1):
            body.ell(fx + s * eye_dx, eye_y, er, er * 1.25, (40, 32, 36), ink=False)
            if p.detail > 0.6:
                body.ell(fx + s * eye_dx + er * 0.35, eye_y + er * 0.45, er * 0.35, er * 0.35,
                         (250, 250, 250), ink=False)
        if p.detail > 0.5:
            brow = _darker(hair, 0.8) if hair[0] < 140 else (120, 110, 104)
            for s in (-1, 1):
                body.limb([(fx + s * (eye_dx - 0.07), eye_y + 0.165), (fx + s * (eye_dx + 0.08),
                                                                       eye_y + 0.145)],
                          0.035 if fem else 0.055, brow, ink=False)
            body.limb([(fx + 0.02 * (1 if f >= 0 else -1), eye_y - 0.1),
                       (fx + 0.04 * (1 if f >= 0 else -1), eye_y - 0.15)],
                      0.03, _darker(skin, 0.75), ink=False)
            blush = 150 if (fem or child) else 60
            body.ell(fx - 0.24, eye_y - 0.16, 0.08, 0.05, mix(skin, (230, 120, 120), 0.45), ink=False,
                     alpha=blush)
            body.ell(fx + 0.24, eye_y - 0.16, 0.08, 0.05, mix(skin, (230, 120, 120), 0.45), ink=False,
                     alpha=blush)
            if old:
                for s in (-1, 1):
                    body.limb([(fx + s * 0.27, eye_y - 0.02), (fx + s * 0.31, eye_y - 0.06)], 0.015,
                              _darker(skin, 0.72), ink=False)
        mouth_y = head_c - 0.3
        body.limb([(fx - 0.07, mouth_y + 0.01), (fx, mouth_y - 0.015), (fx + 0.07, mouth_y + 0.01)],
                  0.03 if p.detail > 0.5 else 0.05, (150, 70, 70), ink=False)
        if look.beard:
            body.poly([(hx - 0.35, head_c - 0.15), (hx + 0.35, head_c - 0.15), (hx + 0.2, chin + 0.02),
                       (hx - 0.2, chin + 0.02)], mix(hair, skin, 0.35), ink=False)
            body.limb([(fx - 0.07, mouth_y + 0.01), (fx, mouth_y - 0.015), (fx + 0.07, mouth_y + 0.01)],
                      0.04, (120, 60, 60), ink=False)
        if look.glasses:
            for s in (-1, 1):
                cx, cy = body.xy(fx + s * eye_dx, eye_y)
                r = 0.12 * p.unit
                pen.arc((cx - r, cy - r, cx + r, cy + r), 0, 360, (40, 36, 40), max(0.8, 0.025 * p.unit))

    # hair on top: a cap hugging the skull (an arc of a slightly larger ellipse) whose
    # lower edge is the fringe; long styles come down the sides to the jaw
    top_y = head_c + 0.5
    if style != "bald":
        long_sides = style in ("long", "bob", "braid", "ponytail")
        a0, a1 = (-28.0, 208.0) if long_sides else (-8.0, 188.0)
        ccy = head_c + 0.03
        arc = [(hx + 0.465 * math.cos(math.radians(a)), ccy + 0.56 * math.sin(math.radians(a)))
               for a in np.linspace(a0, a1, 28)]
        part = 0.14 if f >= 0 else -0.14
        if style in ("short", "curly"):
            fringe = [(hx - 0.4, head_c + 0.1), (hx - 0.2, head_c + 0.27), (hx + part, head_c + 0.33),
                      (hx + 0.25, head_c + 0.26), (hx + 0.4, head_c + 0.1)]
        elif style == "bun":
            fringe = [(hx - 0.4, head_c + 0.12), (hx - 0.15, head_c + 0.3), (hx + part * 0.5, head_c + 0.36),
                      (hx + 0.15, head_c + 0.3), (hx + 0.4, head_c + 0.12)]
        else:
            fringe = [(hx - 0.36, head_c - 0.25), (hx - 0.33, head_c + 0.1), (hx - 0.12, head_c + 0.2),
                      (hx + part, head_c + 0.24), (hx + 0.2, head_c + 0.19), (hx + 0.34, head_c + 0.1),
                      (hx + 0.37, head_c - 0.25)]
        body.poly(arc + fringe, hair)
        if style == "curly":
            for i in range(9):
                a = math.radians(-5 + i * 23.75)
                body.ell(hx + 0.47 * math.cos(a), ccy + 0.55 * math.sin(a), 0.12, 0.12, hair, ink=False)
        if style == "bun" and (fem or "ancient" not in look.tags):
            body.ell(hx - f * 0.15, top_y + 0.1, 0.22, 0.2, hair)
        elif style == "bun":
            # a topknot: small, high, pinned
            body.ell(hx, top_y + 0.12, 0.15, 0.14, hair)
            body.limb([(hx - 0.24, top_y + 0.14), (hx + 0.24, top_y + 0.1)], 0.035, (200, 170, 90),
                      ink=False)
        # a soft highlight: hair reads as a volume, not a hole
        body.limb([(hx - 0.22, head_c + 0.43), (hx - 0.05, head_c + 0.5)], 0.05,
                  mix(hair, (255, 255, 255), 0.14), ink=False)
    elif old:
        for s in (-1, 1):
            body.ell(hx + s * 0.4, head_c + 0.08, 0.09, 0.17, hair, ink=False)
    if look.hat is not None:
        body.ell(hx, head_c + 0.36, 0.62, 0.1, look.hat)
        body.poly([(hx - 0.4, head_c + 0.38), (hx + 0.4, head_c + 0.38), (hx + 0.34, top_y + 0.12),
                   (hx - 0.34, top_y + 0.12)], look.hat)
    body.draw()


def figure_box(look: Look, p: Placement) -> tuple[float, float, float, float]:
    """The figure's bounding box in frame pixels (x0, y0, x1, y1); tests measure inside it."""
    u = p.unit
    half = 1.3 * look.width * u
    return (p.x - half, p.ground - (look.head_units + 0.15) * u, p.x + half, p.ground)
