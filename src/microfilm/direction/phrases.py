"""The words the house director writes into a shot, in each film language.

Why a table per language: a Chinese board is read by a Chinese-speaking person and sent to
models that take Chinese (Kling, Seedance, Hailuo, Wan); an English scaffold around Chinese
action ("叶淑珍 speaks. Interior, 厨房... Light: ...") reads as a machine's and mixes two
languages in one instruction. Every template piece the director writes (framing, who is where,
what they do when the script says nothing, how an unseen voice is heard, the place and hour,
props, light, camera, motion, sound) has its words here; the painter reads the zh words too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Phrases:
    """One language's words; `{}` fields are filled by describe.py and words.py."""

    framing: dict[str, str]
    of: str  # framing + who: "Wide shot of A" / "全景：A"
    look: str  # name, look, wardrobe
    at: dict[str, str]  # screen position after a name
    and_: str
    list_sep: str  # props, names
    people_sep: str  # one described person from the next
    place_sep: str  # INT/EXT, the place, the hour
    clause_sep: str  # between the parts of the action
    sentence_end: str
    sentence_sep: str
    place: dict[bool, str]  # INT / EXT
    where: str  # location name + description
    times: dict[str, str]  # day | dusk | night | dawn when the heading gives no hour
    props: dict[str, str]
    props_label: str
    light_label: str
    camera_label: str
    style_label: str
    cameras: dict[str, str]
    talk: str  # two or more speakers on screen
    speaks: str
    speaks_to: str
    listen_one: str
    listen_many: str
    prop_alone: str
    empty: str
    heard: str  # a voice not seen: name + how
    how_heard: dict[str, str]
    lips: str
    listener_reacts: str
    quiet_reaction: str
    small_move: str
    air_moves: str
    prop_still: str
    # sound notes
    ambience: dict[str, str]
    effects: dict[str, str]
    quiet: dict[str, str]
    room_tone: str
    outdoor: str
    sound_sep: str


EN = Phrases(
    framing={"extreme-wide": "Establishing extreme wide shot", "wide": "Wide shot", "medium": "Medium shot",
             "close-up": "Close-up", "extreme close-up": "Extreme close-up insert",
             "two-shot": "Medium two-shot", "over-the-shoulder": "Over-the-shoulder shot"},
    of="{framing} of {who}", look="{name} ({look}; wearing {wardrobe})",
    at={"center": " in the center", "left": " on the left", "right": " on the right"},
    and_=" and ", list_sep=", ", people_sep=", ", place_sep=", ", clause_sep="; ", sentence_end=".", sentence_sep=". ",
    place={True: "Interior", False: "Exterior"}, where="{name}: {description}",
    times={"day": "day", "dusk": "dusk", "night": "night", "dawn": "dawn"},
    props={"phone": "a phone", "bowl": "a bowl", "dumplings": "a plate of dumplings",
           "suitcase": "a suitcase", "letter": "a letter", "photo": "a framed photo",
           "umbrella": "an umbrella", "scarf": "a scarf", "cup": "a cup", "book": "a book",
           "bag": "a bag", "key": "a key", "ticket": "a ticket", "flowers": "flowers",
           "gift": "a gift box", "laptop": "a laptop", "clock": "a clock", "guitar": "a guitar",
           "bicycle": "a bicycle", "lantern": "a lantern"},
    props_label="Props: ", light_label="Light: ", camera_label="Camera: ", style_label="Style: ",
    cameras={},  # the board's own camera words
    talk="{names} talk face to face", speaks="{name} speaks", speaks_to="{name} speaks to {other}",
    listen_one="{names} listens", listen_many="{names} listen", prop_alone="{prop} on its own",
    empty="the place, empty and still", heard="{name} is heard {how}, not seen",
    how_heard={"phone": "on the phone", "recording": "in a recorded message",
               "letter": "reading a letter, in voice-over", "door": "through the door",
               "off": "off screen"},
    lips="lips move with the words, small hand gestures", listener_reacts="; the listener reacts",
    quiet_reaction="a quiet reaction: eyes, breath, a small movement of the head",
    small_move="a small natural movement", air_moves="light and air move; the camera drifts",
    prop_still="the prop is still",
    ambience={"vehicle": "engine hum, tyres on the road", "kitchen": "a pot simmering, a clock ticking",
              "shop": "murmur of customers, cups on saucers", "office": "keyboards, air conditioning hum",
              "school": "chairs scraping, distant bell", "hospital": "monitor beeps, quiet corridor",
              "street": "distant traffic, footsteps", "station": "traffic passing, a bus braking far off",
              "water": "water lapping, wind", "country": "wind in the grass, birds",
              "park": "leaves in the wind, birds", "rooftop": "wind, the city below"},
    effects={"phone": "a phone buzzing", "rain": "rain", "knock": "a knock at the door",
             "steps": "footsteps", "bus": "a bus engine", "wind": "wind", "boil": "water boiling",
             "laugh": "laughter", "applause": "applause"},
    quiet={"night": "night quiet", "dawn": "early birds", "dusk": "evening quiet", "day": "room tone"},
    room_tone="room tone", outdoor="outdoor ambience", sound_sep="; ",
)

ZH = Phrases(
    framing={"extreme-wide": "大远景建立镜头", "wide": "全景", "medium": "中景", "close-up": "特写",
             "extreme close-up": "大特写插入镜头", "two-shot": "中景双人镜头",
             "over-the-shoulder": "过肩镜头"},
    of="{framing}：{who}", look="{name}（{look}；穿着{wardrobe}）",
    at={"center": "，在画面中间", "left": "，在画面左侧", "right": "，在画面右侧"},
    and_="和", list_sep="、", people_sep="；", place_sep="，", clause_sep="；", sentence_end="。", sentence_sep="。",
    place={True: "内景", False: "外景"}, where="{name}：{description}",
    times={"day": "白天", "dusk": "黄昏", "night": "夜晚", "dawn": "清晨"},
    props={"phone": "一部手机", "bowl": "一只碗", "dumplings": "一盘饺子", "suitcase": "一个行李箱",
           "letter": "一封信", "photo": "一张装框的照片", "umbrella": "一把伞", "scarf": "一条围巾",
           "cup": "一个杯子", "book": "一本书", "bag": "一个包", "key": "一把钥匙", "ticket": "一张车票",
           "flowers": "一束鲜花", "gift": "一个礼物盒", "laptop": "一台笔记本电脑", "clock": "一只钟",
           "guitar": "一把吉他", "bicycle": "一辆自行车", "lantern": "一盏灯笼"},
    props_label="道具：", light_label="光线：", camera_label="镜头：", style_label="风格：",
    cameras={"static": "固定机位", "push-in": "推镜头", "slow push-in": "缓慢推近",
             "pull-out": "拉镜头", "slow pull-out": "缓慢拉远", "pan-left": "向左摇",
             "slow pan-left": "缓慢向左摇", "pan-right": "向右摇", "slow pan-right": "缓慢向右摇",
             "tilt-up": "向上摇", "tilt-down": "向下摇", "whip-pan": "快速甩镜",
             "handheld": "手持跟拍", "dolly": "移动跟拍", "orbit": "环绕运镜"},
    talk="{names}面对面交谈", speaks="{name}说话", speaks_to="{name}对{other}说话",
    listen_one="{names}静静听着", listen_many="{names}静静听着", prop_alone="{prop}，单独入画",
    empty="空无一人的场景，安静不动", heard="{name}{how}，人不入画",
    how_heard={"phone": "的声音从电话里传来", "recording": "的声音来自录音留言",
               "letter": "读信的声音作画外音", "door": "的声音隔着门传来", "off": "的声音从画外传来"},
    lips="随台词开口说话，手上有细小的动作", listener_reacts="；听的人有反应",
    quiet_reaction="安静的反应：眼神、呼吸、头部轻微的动作", small_move="细微自然的动作",
    air_moves="光影与空气流动，镜头缓缓漂移", prop_still="道具静止不动",
    ambience={"vehicle": "发动机的嗡嗡声，轮胎压过路面", "kitchen": "锅里咕嘟作响，时钟滴答",
              "shop": "客人的低语，杯碟轻碰", "office": "键盘声，空调的嗡鸣",
              "school": "椅子挪动声，远处的铃声", "hospital": "监护仪的嘀嗒声，安静的走廊",
              "street": "远处的车流，脚步声", "station": "车辆驶过，远处公交车刹车",
              "water": "水波拍岸，风声", "country": "风吹草动，鸟鸣", "park": "风吹树叶，鸟鸣",
              "rooftop": "风声，楼下的城市"},
    effects={"phone": "手机振动声", "rain": "雨声", "knock": "敲门声", "steps": "脚步声",
             "bus": "公交车发动机声", "wind": "风声", "boil": "水开的声音", "laugh": "笑声",
             "applause": "掌声"},
    quiet={"night": "夜的寂静", "dawn": "清早的鸟鸣", "dusk": "傍晚的安静", "day": "室内底噪"},
    room_tone="室内底噪", outdoor="户外环境声", sound_sep="；",
)

PHRASES = {"en": EN, "zh": ZH}
# how an unseen voice reaches the scene, read from its cue's extension and parenthetical
HOW_HEARD = (
    (re.compile(r"phone|电话", re.I), "phone"),
    (re.compile(r"voice ?(?:message|mail|note)|voicemail|record|语音|录音|留言", re.I), "recording"),
    (re.compile(r"letter|信", re.I), "letter"),
    (re.compile(r"wall|door|门|墙", re.I), "door"),
)
# what marks a heard-only voice inside an action, in any language (prompt writers drop it
# from still pictures: naming the absent only invites them in)
HEARD_MARKS = (" heard ", "人不入画")


def phrases(lang: str) -> Phrases:
    return PHRASES.get(lang, EN)
