"""The words a character's look is read from, English and Chinese: colours, hair, age, build,
garments; and the matching rules (an English word whole, a Chinese one as a substring; a colour
belongs to the noun in its own clause)."""

from __future__ import annotations

import re

from microfilm.providers.house.drawing import RGB
from microfilm.providers.house.wordmatch import word_hit

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


def has_word(word: str, text: str) -> bool:
    """English words match whole words ("red" is not in "tired"); Chinese ones as substrings."""
    return word_hit(word.strip(), text)


def has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(has_word(w, text) for w in words)


def clauses(text: str) -> list[str]:
    """Split a description into clauses; a colour word belongs to the noun in its clause."""
    parts = re.split(r"[,;，；、。.!！/]|\band\b|\bwith\b|\bover\b|和|与|配|搭|戴着|戴|穿着|穿", text)
    return [p.strip() for p in parts if p and p.strip()]


def colour_in(clause: str) -> RGB | None:
    for word, rgb in COLOUR_WORDS:
        if has_word(word, clause):
            return rgb
    return None


def item_colour(text: str, nouns: tuple[str, ...]) -> tuple[bool, RGB | None]:
    """(mentioned, colour) for the first clause naming one of `nouns`."""
    for clause in clauses(text):
        if any(has_word(n, clause) for n in nouns):
            return True, colour_in(clause)
    return False, None

