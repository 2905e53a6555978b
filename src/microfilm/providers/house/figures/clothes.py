"""Legs, shoes and garments: the lower garment, the torso with its cut (an open coat, a
suit's tie, a robe's crossed collar and sash), an apron, a bag, the arms in the shot's pose,
and a scarf."""

from __future__ import annotations

from microfilm.providers.house.drawing import mix
from microfilm.providers.house.figures.body import Body, Placement, Skeleton, darker
from microfilm.providers.house.figures.look import Look


def draw_legs(body: Body, look: Look, k: Skeleton, p: Placement) -> None:
    """Legs (trousers, tights or bare) and shoes; under a robe or a dress only the ankles."""
    W, old, hip, knee, f, skin = k.W, k.old, k.hip, k.knee, k.f, k.skin
    if look.bottom_kind != "none":
        leg_col = look.bottom if look.bottom_kind in ("trousers",) else skin
        if look.bottom_kind in ("skirt", "long-skirt") and (old or look.top_kind == "coat"):
            leg_col = (62, 56, 62)  # winter tights
        for s in (-1, 1):
            body.limb([(s * 0.28 * W, hip), (s * 0.3 * W, knee), (s * 0.27 * W, 0.3)],
                      0.42 * W if leg_col != skin else 0.3, leg_col)
    else:
        for s in (-1, 1):
            body.limb([(s * 0.25, 0.9), (s * 0.25, 0.3)], 0.28, darker(look.bottom, 0.7))
    for s in (-1, 1):
        body.ell(s * 0.3 * W + f * 0.12, 0.16, 0.3, 0.16, look.shoes)


def draw_lower_garment(body: Body, look: Look, k: Skeleton, p: Placement) -> None:
    """A skirt, a long skirt, shorts or trousers from the waist."""
    hip, knee, waist, hw = k.hip, k.knee, k.waist, k.hw
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


def draw_torso(body: Body, look: Look, k: Skeleton, p: Placement) -> None:
    """The torso and the garment's skirt, a flat cel shadow away from the light, and the cut."""
    shoulder, hip, waist, sw, hw, f, lit = k.shoulder, k.hip, k.waist, k.sw, k.hw, k.f, k.lit
    hem, flare, top, top_sh = k.hem, k.flare, k.top, k.top_sh
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
                  darker(top, 0.6), ink=False)
    elif look.top_kind == "robe":
        # a crossed collar and a sash: the ancient silhouette
        body.poly([(-0.28, shoulder + 0.1), (-0.12, shoulder + 0.1), (0.3, waist + 0.1), (0.12, waist + 0.1)],
                  mix(top, (245, 240, 228), 0.6), ink=False)
        body.poly([(-hw * 1.05, waist + 0.18), (hw * 1.05, waist + 0.18), (hw * 1.06, waist - 0.12),
                   (-hw * 1.06, waist - 0.12)], darker(top, 0.6), ink=False)
    elif look.top_kind == "uniform":
        pass
    if look.apron is not None:
        body.poly([(-hw * 0.7, shoulder - 0.45), (hw * 0.7, shoulder - 0.45), (hw * 0.9, hip - 0.7),
                   (-hw * 0.9, hip - 0.7)], look.apron, ink=False)
    if look.bag is not None:
        s = 1 if f <= 0 else -1
        body.limb([(-s * 0.35, shoulder + 0.05), (s * (hw + 0.1), hip + 0.1)], 0.07, darker(look.bag, 0.7),
                  ink=False)
        body.poly([(s * (hw - 0.05), hip + 0.45), (s * (hw + 0.55), hip + 0.45), (s * (hw + 0.5), hip - 0.25),
                   (s * (hw - 0.02), hip - 0.25)], look.bag)



def draw_arms(body: Body, look: Look, k: Skeleton, p: Placement) -> None:
    """Sleeves a touch darker than the body so they read over it; hands in the shot's pose."""
    W, child, shoulder, hip, sw, f, skin = k.W, k.child, k.shoulder, k.hip, k.sw, k.f, k.skin
    sleeve = k.sleeve
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


def draw_scarf(body: Body, look: Look, k: Skeleton, p: Placement) -> None:
    """A scarf wound at the neck with a tail hanging in front."""
    shoulder, f = k.shoulder, k.f
    if look.scarf is not None:
        sc = look.scarf
        body.poly([(-0.42, shoulder + 0.2), (0.42, shoulder + 0.2), (0.5, shoulder - 0.12),
                   (-0.5, shoulder - 0.12)], sc)
        tail = 0.18 if f <= 0 else -0.18
        body.poly([(tail - 0.14, shoulder + 0.02), (tail + 0.14, shoulder + 0.02), (tail + 0.2,
                                                                                    shoulder - 1.05),
                   (tail - 0.12, shoulder - 1.1)], darker(sc, 0.88))
        body.limb([(tail - 0.1, shoulder - 0.95), (tail + 0.18, shoulder - 0.95)], 0.04, darker(sc, 0.6),
                  ink=False)
