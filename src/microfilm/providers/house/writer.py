"""The house writer: a seeded, genre-aware story engine that needs no key and no network.

It writes a complete micro film (time, place, characters, theme, plot) for every genre, in
English and Chinese, from the story material in `microfilm.providers.house.story`:
1. The seed casts the film: 2-4 characters with names, ages, concrete looks and wardrobes
   (the words every shot prompt reuses) and one distinct eSpeak voice each; it picks the
   places, the time, the theme and the conflict (a kit of props and stakes the lines use).
2. The genre's beats (from `microfilm.form`) become scenes: a short film keeps the most
   important beats, a long one gives the big beats several scenes, each a different variant
   (or the same variant in another place, with its `vary` values moved on).
3. Steps are chosen by priority (core first, then round-robin across scenes) until the
   estimated runtime, computed exactly as `microfilm.checks.estimate_runtime` does, meets
   the brief's duration; the scene count is searched until the total lands near the target.
The same brief and seed always give the same draft: every random choice comes from a
`random.Random` seeded from a hash of the seed and the brief, never the global generator.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from typing import ClassVar

from microfilm import form
from microfilm.checks import ACTION_PARAGRAPH_S
from microfilm.knowledge import genre_notes
from microfilm.providers.base import (
    Capabilities, DevelopRequest, Draft, HouseProvider, ProviderInfo,
)
from microfilm.providers.house import story as story_data
from microfilm.providers.house.story import (
    SLOT, GenreStory, Hint, Item, LineT, PlaceSpec, RoleSpec, Variant,
)
from microfilm.spec.bible import Bible, Character, Location, StyleGuide, VoiceSpec
from microfilm.spec.brief import Brief
from microfilm.spec.screenplay import Action, Dialogue, Element, Scene, Screenplay, Transition

CARDS_S = form.TITLE_CARD_S + form.CREDITS_CARD_S
CHARACTER_COLORS = ("#e63946", "#457b9d", "#2a9d8f", "#e9c46a", "#f4a261", "#8d5a97",
                    "#6a994e", "#bc4749", "#3d5a80", "#ff8fab")
VARIANTS = {"female": ("f1", "f2", "f3", "f4", "f5"),
            "male": ("m1", "m2", "m3", "m4", "m5", "m6", "m7")}
PITCH = {("female", "child"): 82, ("female", "young"): 68, ("female", "mid"): 58,
         ("female", "old"): 48, ("male", "child"): 74, ("male", "young"): 46,
         ("male", "mid"): 38, ("male", "old"): 28}
# eSpeak's Mandarin at 160 wpm speaks about 3.2 characters a second while the form plans
# 4.2, so Chinese voices run near 200; older characters speak a little slower.
RATE = {"en": {"child": 168, "young": 165, "mid": 158, "old": 148},
        "zh": {"child": 205, "young": 205, "mid": 200, "old": 192}}
TRANSITIONS = {"en": {"dissolve": "DISSOLVE TO:", "fade": "FADE TO:", "end": "FADE OUT."},
               "zh": {"dissolve": "叠化：", "fade": "淡入淡出：", "end": "淡出。"}}
CREDIT = {"en": ("Written by", "microfilm house writer"), "zh": ("编剧", "microfilm 内置编剧")}
MAX_SCENES = 60
OVERRUN = 0.10
"""How far from the brief's duration a plan may land (checks allow 15%)."""
_SENTENCE_START = re.compile(r"(^|(?<!\.\.)[.!?]\s+)([a-z])")


@dataclass(frozen=True)
class Cast:
    """One character as cast for this film."""

    spec: RoleSpec
    gender: str
    name: str  # as in the bible and the cue (Chinese: full name)
    given: str  # what the others call them
    age: int
    look: str
    wardrobe: str
    color: str
    voice: VoiceSpec
    hint: Hint | None = None  # the brief's word for them ("grandmother"), when it had one

    def slot(self, attr: str, lang: str) -> str:
        female = self.gender == "female"
        if attr == "":
            return self.name
        if attr == "given":
            return self.given
        if attr == "ta":
            return "她" if female else "他"
        if attr == "noun":
            if self.hint and self.hint.noun:
                return self.hint.noun
            return self.spec.noun.get(lang, {}).get(self.gender, "") or self.given
        if attr in ("title", "Title"):
            word = ((self.hint.title if self.hint else "")
                    or self.spec.title.get(lang, {}).get(self.gender, "") or self.given)
            return word[:1].upper() + word[1:] if attr == "Title" else word
        pronoun = {"he": ("she", "he"), "him": ("her", "him"), "his": ("her", "his")}[attr.lower()]
        word = pronoun[0] if female else pronoun[1]
        return word.capitalize() if attr[0].isupper() else word


@dataclass
class _Step:
    level: int
    elements: list[Element]
    cost: float
    roles: frozenset[str]  # the role ids it shows or gives lines to


@dataclass
class _Scene:
    beat: str
    heading: str
    place: PlaceSpec
    steps: list[_Step]


@dataclass
class _Plan:
    scenes: list[_Scene]
    chosen: list[list[int]]  # per scene, the indexes of the steps kept
    content: float  # estimated seconds without the title and credits cards

    @property
    def total(self) -> float:
        return self.content + CARDS_S


def _derive_seed(brief: Brief, seed: int) -> str:
    payload = json.dumps([seed, brief.seed, brief.genre.value, brief.language, brief.title],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_STOP = {"the", "a", "an", "of", "my", "from", "with", "that", "this", "into", "over", "like"}


def _mentions(text: str, words: list[str], lang: str) -> list[str]:
    """Which of `words` the text mentions, longest first, each stretch of text used once
    (so '外孙女' is not also '外孙', 'grandmother' not also 'mother')."""
    found = []
    for word in sorted(words, key=len, reverse=True):
        pattern = re.escape(word.casefold())
        if lang == "en":
            pattern = rf"\b{pattern}\b"
        if re.search(pattern, text):
            found.append(word)
            text = re.sub(pattern, " ", text)
    return found


def _kit_score(kit: dict[str, str], text: str, lang: str) -> int:
    """How many of a kit's things the brief already talks about (dumplings, a festival)."""
    score = 0
    for key, value in kit.items():
        if key == "time":
            continue
        if lang == "zh":
            parts = [p for p in re.split(r"[，。、“”《》\s]+", value) if len(p) >= 2]
            score += any(p in text for p in parts)
        else:
            words = [w for w in re.findall(r"[a-z][a-z'-]+", value.casefold())
                     if len(w) >= 4 and w not in _STOP]
            score += any(re.search(rf"\b{re.escape(w.rstrip('s'))}", text) for w in words)
    return score


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug or "x"


class _Writer:
    """One draft: the choices the seed makes, then sizing to the brief's duration."""

    def __init__(self, brief: Brief, seed: int) -> None:
        self.brief = brief
        self.lang = brief.language
        self.story: GenreStory = story_data.load(brief.genre)
        self.preset = form.PRESETS[brief.genre]
        self.base = _derive_seed(brief, seed)
        rng = self.rng("film")
        lang = self.lang
        self.said = f"{brief.title} {brief.logline}".casefold()  # what the client asked for
        scores = [_kit_score(k[lang], self.said, lang) for k in self.story.kits]
        best = [i for i, sc in enumerate(scores) if sc == max(scores)]
        self.kit_index = rng.choice(best)
        self.kit = dict(self.story.kits[self.kit_index][lang])
        self.time = rng.choice(self.story.times[lang])
        self.time = self.kit.pop("time", self.time)
        self.theme = rng.choice(self.story.themes[lang])
        self.cast = self._cast(rng)
        self.places = {slot: [o for o in opts if o.kit in (None, self.kit_index)]
                       for slot, opts in self.story.places.items()}
        self.place_pick = {slot: rng.randrange(len(opts)) for slot, opts in self.places.items()}
        self.variant_order = {beat: rng.sample(range(len(vs)), len(vs))
                              for beat, vs in self.story.beats.items()}
        shares = {b.name: b.share for b in genre_notes(brief.genre, lang).beats}
        self.shares = {b: shares.get(b, 1.0 / len(self.preset.beats)) for b in self.preset.beats}

    def rng(self, key: str) -> random.Random:
        return random.Random(f"{self.base}:{key}")

    # ---- casting -------------------------------------------------------------------

    def _cast(self, rng: random.Random) -> dict[str, Cast]:
        roles = [r for r in self.story.roles if r.core]
        optional = [r for r in self.story.roles if not r.core]
        extra = rng.randint(0, min(len(optional), 4 - len(roles)))
        chosen = set(r.id for r in rng.sample(optional, extra))
        roles = [r for r in self.story.roles if r.core or r.id in chosen]
        pool = story_data.names()
        used: set[str] = set()
        surnames = list(pool.zh_surnames)
        rng.shuffle(surnames)
        family = surnames.pop()
        colors = rng.sample(CHARACTER_COLORS, len(roles))
        variants = {g: list(rng.sample(v, len(v))) for g, v in VARIANTS.items()}
        pitches: dict[str, list[int]] = {"female": [], "male": []}
        cast: dict[str, Cast] = {}
        for i, spec in enumerate(roles):
            gender = spec.gender if spec.gender != "any" else rng.choice(("female", "male"))
            found = _mentions(self.said, list(spec.hints.get(self.lang, {})), self.lang)
            hint = spec.hints[self.lang][found[0]] if found else None
            if hint is not None and spec.gender == "any":
                gender = hint.gender
            surname = family if (i == 0 or spec.kin) else surnames.pop()
            name, given = self._name(rng, spec, gender, pool, used, surname)
            used.add(given)
            used.add(name)
            pitch = PITCH[(gender, spec.generation)] + rng.randint(-4, 4)
            while any(abs(pitch - p) < 7 for p in pitches[gender]):
                pitch += 7
            pitches[gender].append(pitch)
            rate = RATE[self.lang][spec.generation] + rng.randint(-5, 5)
            voice = VoiceSpec(gender=gender, pitch=max(0, min(99, pitch)), rate=rate,
                              variant=variants[gender].pop())
            cast[spec.id] = Cast(
                spec=spec, gender=gender, name=name, given=given,
                age=rng.randint(*spec.age),
                look=rng.choice(spec.look[self.lang][gender]),
                wardrobe=rng.choice(spec.wardrobe[self.lang][gender]),
                color=colors[i], voice=voice, hint=hint)
        return cast

    def _name(self, rng: random.Random, spec: RoleSpec, gender: str, pool: story_data.Names,
              used: set[str], surname: str) -> tuple[str, str]:
        if self.story.names == "ancient":
            options = [n for n in pool.ancient[self.lang][gender] if n not in used]
            full = rng.choice(options)
            if self.lang == "zh":
                return full, full[1:] if len(full) >= 3 else full
            return full, full.split()[-1]
        if self.lang == "en":
            taken = {u[:1] for u in used}
            generation = "young" if spec.generation == "child" else spec.generation
            options = [n for n in pool.en[gender][generation] if n not in used]
            distinct = [n for n in options if n[:1] not in taken]  # easy to tell apart
            first = rng.choice(distinct or options)
            return first, first
        generation = "young" if spec.generation == "child" else spec.generation
        options = [g for g in pool.zh[gender][generation] if g not in used]
        given = rng.choice(options)
        return surname + given, given

    # ---- filling templates ---------------------------------------------------------------

    def fill(self, text: str, slots: dict[str, str], sentence: bool = True) -> str:
        def one(m: re.Match) -> str:
            key, attr = m.group(1), m.group(2) or ""
            if key in self.cast:
                return self.cast[key].slot(attr, self.lang)
            return slots[key]
        text = SLOT.sub(one, text).strip()
        if sentence and self.lang == "en":  # a slot may open a sentence: "the Lantern Festival."
            text = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
        return text

    def roles_in(self, item: Item) -> set[str]:
        text = item if isinstance(item, str) else f"{item.parenthetical} {item.text}"
        found = {m.group(1) for m in SLOT.finditer(text)} & {r.id for r in self.story.roles}
        if isinstance(item, LineT):
            found.add(item.role)
        return found

    def element(self, item: Item, slots: dict[str, str]) -> Element:
        if isinstance(item, str):
            return Action(text=self.fill(item, slots))
        who = self.cast[item.role]
        return Dialogue(character=who.name.upper() if self.lang == "en" else who.name,
                        text=self.fill(item.text, slots),
                        parenthetical=self.fill(item.parenthetical, slots, sentence=False),
                        extension=item.extension)

    # ---- scenes --------------------------------------------------------------------------

    def beats_for(self, n: int) -> list[tuple[str, int]]:
        """(beat, how many times it was used before) for a film of `n` scenes."""
        beats = self.preset.beats
        if n <= len(beats):
            keep = set(self.story.keep[:n])
            return [(b, 0) for b in beats if b in keep]
        counts = {b: 1 for b in beats}
        for _ in range(n - len(beats)):
            pick = max(beats, key=lambda b: self.shares[b] / counts[b])
            counts[pick] += 1
        return [(b, i) for b in beats for i in range(counts[b])]

    def scene(self, beat: str, use: int) -> _Scene:
        variants = self.story.beats[beat]
        order = self.variant_order[beat]
        variant: Variant = variants[order[use % len(order)]]
        cycle = use // len(order)
        options = self.places[variant.place]
        place = options[(self.place_pick[variant.place] + cycle) % len(options)]
        rng = self.rng(f"scene:{beat}:{use}")
        slots = dict(self.kit)
        for key, values in variant.vary.items():
            vals = values[self.lang]
            start = self.rng(f"vary:{beat}:{key}").randrange(len(vals))
            slots[key] = vals[(start + use) % len(vals)]
        text = place.text[self.lang]
        slots["here"] = text.name.lower() if self.lang == "en" else text.name
        tod = rng.choice(variant.tod[self.lang])
        steps = []
        for step in variant.steps[self.lang]:
            if any(not self.roles_in(i) <= set(self.cast) for i in step.items):
                continue
            elements = [self.element(i, slots) for i in step.items]
            cost = sum(form.speech_seconds(e.text, self.lang) if isinstance(e, Dialogue)
                       else ACTION_PARAGRAPH_S for e in elements)
            roles = frozenset().union(*(self.roles_in(i) for i in step.items))
            steps.append(_Step(step.level, elements, cost, roles))
        return _Scene(beat, self.heading(place, tod), place, steps)

    def heading(self, place: PlaceSpec, tod: str) -> str:
        name = place.text[self.lang].name
        if self.lang == "zh":
            return f"{'内景' if place.interior else '外景'} {name} - {tod}"
        return f"{'INT.' if place.interior else 'EXT.'} {name.upper()} - {tod.upper()}"

    # ---- sizing --------------------------------------------------------------------------

    def plan(self, n: int) -> _Plan:
        """Scenes for `n` scenes, and the steps that fill them to the brief's duration.

        Every scene keeps its opening action; then core steps, normal ones, extras, taken
        round-robin across scenes while the runtime allows. Within a scene a step is never
        taken after one of its own level or a more important one was left out, so the kept
        steps read without gaps.
        """
        scenes = [self.scene(b, u) for b, u in self.beats_for(n)]
        target = self.brief.duration - CARDS_S
        cands = sorted((0 if k == 0 else st.level, k, si)
                       for si, sc in enumerate(scenes) for k, st in enumerate(sc.steps))
        chosen: set[tuple[int, int]] = set()
        total = 0.0
        # a little over the target is as good as a little under, never over the form's cap
        limit = min(target + max(0.03 * self.brief.duration, 1.5), form.MAX_DURATION_S - CARDS_S)
        blocked = [4] * len(scenes)  # per scene, the first level that had a step left out
        for level, k, si in cands:
            cost = scenes[si].steps[k].cost
            if level == 0 or (level < blocked[si] and total + cost <= limit):
                chosen.add((si, k))
                total += cost
            else:
                blocked[si] = min(blocked[si], level)
        # still well short (a short film whose next steps are long): take the next step of
        # a scene, the one that lands nearest the target, while that brings it nearer
        while total < target - OVERRUN * self.brief.duration:
            nexts = [(si, min(k for k in range(len(sc.steps)) if (si, k) not in chosen))
                     for si, sc in enumerate(scenes)
                     if any((si, k) not in chosen for k in range(len(sc.steps)))]
            if not nexts:
                break
            si, k = min(nexts, key=lambda sk: abs(total + scenes[sk[0]].steps[sk[1]].cost - target))
            after = total + scenes[si].steps[k].cost
            if (abs(after - target) >= abs(total - target)
                    or after > min(target + OVERRUN * self.brief.duration,
                                   form.MAX_DURATION_S - CARDS_S)):
                break
            chosen.add((si, k))
            total = after
        total = self._show_core(scenes, chosen, total, target)
        per_scene = [sorted(k for si2, k in chosen if si2 == si) for si in range(len(scenes))]
        return _Plan(scenes, per_scene, total)

    def _show_core(self, scenes: list[_Scene], chosen: set[tuple[int, int]], total: float,
                   target: float) -> float:
        """Put every core character on screen: add their cheapest step if the runtime
        allows, else swap it for a step the film can spare (not a scene's opening, not
        another core character's only appearance). Returns the new total."""
        duration = self.brief.duration
        high = min(target + OVERRUN * duration, form.MAX_DURATION_S - CARDS_S)
        low = target - OVERRUN * duration
        core = {r.id for r in self.story.roles if r.core}

        def step(sk: tuple[int, int]) -> _Step:
            return scenes[sk[0]].steps[sk[1]]

        for role in sorted(core):
            if any(role in step(sk).roles for sk in chosen):
                continue
            options = sorted((st.cost, si, k) for si, sc in enumerate(scenes)
                             for k, st in enumerate(sc.steps)
                             if (si, k) not in chosen and role in st.roles and st.level <= 2)
            for cost, si, k in options:
                if total + cost <= high:
                    chosen.add((si, k))
                    total += cost
                    break
                spare = [sk for sk in chosen if sk[1] > 0 and not any(
                    r in core and sum(r in step(o).roles for o in chosen) == 1
                    for r in step(sk).roles)]
                swaps = sorted((abs(total - step(sk).cost + cost - target), sk) for sk in spare
                               if low <= total - step(sk).cost + cost <= high)
                if swaps:
                    out = swaps[0][1]
                    chosen.remove(out)
                    chosen.add((si, k))
                    total += cost - step(out).cost
                    break
        return total

    def best_plan(self) -> _Plan:
        duration = self.brief.duration
        target = duration - CARDS_S
        per_scene = min(28.0, 5.0 + 0.15 * target)
        fewest = 1 if duration < 20 else 2  # a beginning and an end
        n = max(fewest, min(MAX_SCENES, round(target / per_scene)))
        tried: dict[int, _Plan] = {}
        while n not in tried and fewest <= n <= MAX_SCENES:
            plan = tried[n] = self.plan(n)
            error = plan.total - duration
            if abs(error) <= 0.04 * duration:
                break
            if error > 0:
                n -= 1
            else:
                capacity = sum(st.cost for sc in plan.scenes for st in sc.steps) / len(plan.scenes)
                full = sum(st.cost for sc in plan.scenes for st in sc.steps)
                if full + CARDS_S < duration * 0.96:  # every step is in: more scenes
                    n = min(MAX_SCENES, n + max(1, round(-error / max(capacity, 4.0))))
                else:  # the steps left out were too long for the target: try one more scene
                    n += 1
        # a plan near enough with fewer scenes reads better than an exact one with more
        near = [p for p in tried.values()
                if abs(p.total - duration) <= OVERRUN * duration and p.total <= form.MAX_DURATION_S]
        if near:
            return min(near, key=lambda p: (len(p.scenes), abs(p.total - duration)))
        return min(tried.values(),
                   key=lambda p: (p.total > form.MAX_DURATION_S, abs(p.total - duration)))

    # ---- the draft -----------------------------------------------------------------------

    def draft(self) -> Draft:
        plan = self.best_plan()
        lang = self.lang
        scenes: list[Scene] = []
        transition = self.preset.transition
        for si, (sc, keep) in enumerate(zip(plan.scenes, plan.chosen), start=1):
            elements: list[Element] = [e for k in keep for e in sc.steps[k].elements]
            last = si == len(plan.scenes)
            if last:
                elements.append(Transition(text=TRANSITIONS[lang]["end"]))
            elif transition in TRANSITIONS[lang]:
                elements.append(Transition(text=TRANSITIONS[lang][transition]))
            scenes.append(Scene(heading=sc.heading, number=str(si), elements=elements))
        credit, author = CREDIT[lang]
        title_page = {
            "Title": self.brief.title,
            "Credit": credit,
            "Author": author,
            "Genre": self.preset.name_zh if lang == "zh" else self.preset.name_en,
            "Logline": self.brief.logline,
            "Theme": self.theme,
            "Time": self.time,
        }
        screenplay = Screenplay(title_page=title_page, scenes=scenes)
        return Draft(bible=self.bible(plan, screenplay), screenplay=screenplay)

    def bible(self, plan: _Plan, screenplay: Screenplay) -> Bible:
        spoken = {c.casefold() for c in screenplay.speaking_characters()}
        shown = " ".join(e.text for s in screenplay.scenes for e in s.elements
                         if isinstance(e, Action)).casefold()
        characters = []
        for cast in self.cast.values():
            present = cast.name.casefold() in spoken or cast.name.casefold() in shown
            if not (present or cast.spec.core):
                continue  # an optional role the film had no room for
            characters.append(Character(
                id=_slug(cast.spec.id), name=cast.name, role=cast.spec.role[self.lang],
                age=cast.age, look=cast.look, wardrobe=cast.wardrobe, color=cast.color,
                voice=cast.voice))
        locations: dict[str, Location] = {}
        for sc in plan.scenes:
            text = sc.place.text[self.lang]
            pid = _slug(sc.place.text["en"].name)
            if pid in locations:
                continue
            locations[pid] = Location(id=pid, name=text.name, description=text.description,
                                      interior=sc.place.interior, motifs=list(text.motifs))
        return Bible(
            theme=self.theme, time=self.time, characters=characters,
            locations=list(locations.values()),
            style=StyleGuide(palette=list(self.preset.palette), mood=self.story.mood[self.lang],
                             look=self.story.look[self.lang]),
        )


def write(brief: Brief, seed: int = 0) -> Draft:
    """The house draft for `brief` and `seed`: same inputs, same draft."""
    return _Writer(brief, seed).draft()


class HouseWriter(HouseProvider):
    """The embedded writer: a complete screenplay and bible for any genre, offline."""

    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="house-writer", capability="writer", model="house-story", version="1",
        title="House writer (offline, seeded story engine)",
        capabilities=Capabilities(languages=("en", "zh")),
    )

    def develop(self, request: DevelopRequest) -> Draft:
        return write(request.brief, request.seed)


# ---- a bible for a script the house writer did not write -------------------------------

_FEMALE = re.compile(r"(?i)\b(mom|mother|mum|ma|grandma|granny|aunt|sister|girl|woman|wife|"
                     r"daughter|mrs|ms|miss|lady|queen|she|her)\b|[妈母婆奶姐妹姑姨娘嫂妻女她妃后]")
_MALE = re.compile(r"(?i)\b(dad|father|pa|grandpa|uncle|brother|boy|man|husband|son|mr|sir|"
                   r"king|he|his|him)\b|[爸父爷公哥弟叔伯舅夫男他郎王]")
_GENERATION = (("old", re.compile(r"(?i)\b(grand\w*|old|elder|granny)\b|[爷奶婆公老]")),
               ("child", re.compile(r"(?i)\b(kid|child|boy|girl|little)\b|[娃童孩]")),
               ("mid", re.compile(r"(?i)\b(mom|mother|dad|father|uncle|aunt|boss|teacher)\b"
                                  r"|[妈爸叔姨伯师]")))


def _known_name(name: str, language: str) -> tuple[str, str] | None:
    """(gender, generation) when the name is in the house writer's own name pools."""
    pool = story_data.names()
    table = pool.en if language == "en" else pool.zh
    key = name.strip().casefold()
    for gender, generations in table.items():
        for generation, names in generations.items():
            if any(key == n.casefold() or (language == "zh" and key.endswith(n)) for n in names):
                return gender, generation
    return None


def _near(name: str, text: str) -> str:
    """The words around each mention of `name` in the action: where its pronouns are."""
    spans = [text[m.end(): m.end() + 40].split(".")[0]
             for m in re.finditer(re.escape(name), text, re.IGNORECASE)]
    return " ".join(spans)


def cast_script(names: list[str], genre: str, language: str, seed: int = 0,
                action: str = "") -> list[Character]:
    """Characters for a person's own script: the names are theirs; look, wardrobe, colour
    and a distinct voice come from the genre's casting pools, chosen by the name's own
    words (Mom, 奶奶) or the pronouns the action uses around it, else by the seed."""
    story = story_data.load(form.parse_genre(genre))
    rng = random.Random(f"{seed}:{genre}:{language}:" + "|".join(names))
    roles = list(story.roles)
    colors = list(CHARACTER_COLORS)
    rng.shuffle(colors)
    variants = {g: list(rng.sample(v, len(v))) for g, v in VARIANTS.items()}
    pitches: dict[str, list[int]] = {"female": [], "male": []}
    used_ids: set[str] = set()
    out = []
    for i, name in enumerate(names):
        around = _near(name, action)
        known = _known_name(name, language)
        f, m = len(_FEMALE.findall(name)), len(_MALE.findall(name))
        if f == m and known:
            f, m = (known[0] == "female"), (known[0] == "male")
        if f == m:
            f, m = len(_FEMALE.findall(around)), len(_MALE.findall(around))
        gender = "female" if f > m else "male" if m > f else rng.choice(("female", "male"))
        generation = next((g for g, rx in _GENERATION if rx.search(name)),
                          known[1] if known else "young")
        fitting = [r for r in roles if r.generation == generation] or roles
        spec = fitting[i % len(fitting)]
        pitch = PITCH[(gender, generation)] + rng.randint(-4, 4)
        while any(abs(pitch - p) < 7 for p in pitches[gender]):
            pitch += 7
        pitches[gender].append(pitch)
        if not variants[gender]:
            variants[gender] = list(VARIANTS[gender])
        voice = VoiceSpec(gender=gender, pitch=max(0, min(99, pitch)),
                          rate=RATE[language][generation], variant=variants[gender].pop())
        cid = _slug(name)
        if cid == "x" or cid in used_ids:
            cid = f"character-{i + 1}"
        used_ids.add(cid)
        ages = {"child": (8, 12), "young": (20, 32), "mid": (40, 55), "old": (65, 80)}[generation]
        out.append(Character(
            id=cid, name=name, role=spec.role[language], age=rng.randint(*ages),
            look=rng.choice(spec.look[language][gender]),
            wardrobe=rng.choice(spec.wardrobe[language][gender]),
            color=colors[i % len(colors)], voice=voice))
    return out


def genre_theme(genre: str, language: str, seed: int = 0) -> str:
    """A theme from the genre's own list, when the script does not state one."""
    story = story_data.load(form.parse_genre(genre))
    return random.Random(f"{seed}:{genre}:theme").choice(story.themes[language])


def genre_style(genre: str, language: str) -> StyleGuide:
    g = form.parse_genre(genre)
    story = story_data.load(g)
    return StyleGuide(palette=list(form.PRESETS[g].palette), mood=story.mood[language],
                      look=story.look[language])
