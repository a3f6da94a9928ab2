"""Build tests/data/strokes.json: hand-drawn digit stroke paths for GUI tests.

Each digit has several hand-authored *styles* (key points in a unit box:
x to the right, y down, the digit roughly 0..1 tall).  Twelve *writers*
then draw every digit, each with their own size, position on the canvas,
slant, aspect and a small smooth wobble.  Strokes are resampled with a
mouse-like, smoothly varying step of 2-6 px.

Output coordinates are in the 280x280 logical canvas space, (0, 0) at the
top-left, y down, rounded to 0.1 px, all within [4, 276].

Run:  python tests/data/make_strokes.py      (deterministic, fixed seed)
"""

import json
import math
import os

import numpy as np

CANVAS = 280
MARGIN = 10  # keep every point at least this far from the canvas edge
SEED = 20240601
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "strokes.json")


# --------------------------------------------------------------------------
# Stroke primitives.  Each returns a dense (N, 2) array of points.
# --------------------------------------------------------------------------

def P(*pts):
    """Straight polyline through the key points (sharp corners)."""
    pts = np.asarray(pts, float)
    out = [pts[0]]
    for a, b in zip(pts[:-1], pts[1:]):
        n = max(2, int(np.hypot(*(b - a)) * 200))
        t = np.linspace(0, 1, n)[1:, None]
        out.extend(a + (b - a) * t)
    return np.array(out)


def C(*pts):
    """Smooth curve through the key points (centripetal Catmull-Rom)."""
    pts = np.asarray(pts, float)
    ext = np.vstack([2 * pts[0] - pts[1], pts, 2 * pts[-1] - pts[-2]])
    out = [pts[0]]
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        t0 = 0.0
        t1 = t0 + np.hypot(*(p1 - p0)) ** 0.5 + 1e-9
        t2 = t1 + np.hypot(*(p2 - p1)) ** 0.5 + 1e-9
        t3 = t2 + np.hypot(*(p3 - p2)) ** 0.5 + 1e-9
        n = max(2, int(np.hypot(*(p2 - p1)) * 200))
        for t in np.linspace(t1, t2, n)[1:]:
            a1 = (t1 - t) / (t1 - t0) * p0 + (t - t0) / (t1 - t0) * p1
            a2 = (t2 - t) / (t2 - t1) * p1 + (t - t1) / (t2 - t1) * p2
            a3 = (t3 - t) / (t3 - t2) * p2 + (t - t2) / (t3 - t2) * p3
            b1 = (t2 - t) / (t2 - t0) * a1 + (t - t0) / (t2 - t0) * a2
            b2 = (t3 - t) / (t3 - t1) * a2 + (t - t1) / (t3 - t1) * a3
            out.append((t2 - t) / (t2 - t1) * b1 + (t - t1) / (t2 - t1) * b2)
    return np.array(out)


def E(cx, cy, rx, ry, a0, a1, rot=0.0):
    """Elliptic arc from angle a0 to a1 (degrees).  With y down, increasing
    angles run clockwise on screen: 0 = right, 90 = bottom, -90 = top."""
    n = max(8, int(abs(a1 - a0) * 2))
    t = np.radians(np.linspace(a0, a1, n))
    x, y = rx * np.cos(t), ry * np.sin(t)
    r = math.radians(rot)
    return np.column_stack([cx + x * math.cos(r) - y * math.sin(r),
                            cy + x * math.sin(r) + y * math.cos(r)])


def S(*parts):
    """Join pieces into one pen-down stroke (each piece starts where the
    previous one ended, which gives a sharp corner at the joint)."""
    return np.vstack([parts[0]] + [p[1:] for p in parts[1:]])


def slanted(stroke, deg):
    """Shear a stroke so that its top leans right by `deg` degrees."""
    s = stroke.copy()
    s[:, 0] += (0.5 - s[:, 1]) * math.tan(math.radians(deg))
    return s


# --------------------------------------------------------------------------
# Styles: each returns a list of strokes, in the order a person draws them.
# --------------------------------------------------------------------------

STYLES = {
    0: {
        "0-round": lambda: [E(.5, .5, .36, .5, -80, -445)],
        "0-narrow": lambda: [E(.5, .5, .21, .5, -95, -465)],
        "0-slanted": lambda: [E(.5, .5, .22, .5, -90, -455, rot=16)],
        "0-overshoot": lambda: [C((.62, .1), (.4, 0), (.15, .18), (.05, .55),
                                  (.2, .92), (.48, 1), (.72, .72), (.73, .3),
                                  (.56, .05), (.36, .04), (.2, .12))],
        "0-clockwise-egg": lambda: [C((.42, .02), (.66, .15), (.74, .55),
                                      (.58, .95), (.3, .97), (.12, .65),
                                      (.15, .22), (.4, .02), (.56, .1))],
    },
    1: {
        "1-bar": lambda: [C((.52, 0), (.5, .5), (.49, 1))],
        "1-flag": lambda: [S(P((.4, .17), (.55, 0)), C((.55, 0), (.54, .5), (.53, 1)))],
        "1-flag-base": lambda: [S(P((.38, .18), (.55, 0)), P((.55, 0), (.55, 1))),
                                P((.3, 1), (.8, 1))],
        "1-slanted": lambda: [P((.62, 0), (.38, 1))],
        "1-bowed": lambda: [C((.49, 0), (.53, .35), (.53, .7), (.48, 1))],
    },
    2: {
        "2-plain": lambda: [S(C((.06, .28), (.16, .08), (.4, 0), (.64, .1),
                                (.66, .32), (.45, .58), (.2, .8), (.04, .98)),
                              P((.04, .98), (.78, .96)))],
        "2-loop": lambda: [C((.08, .25), (.22, .06), (.44, .01), (.64, .12),
                             (.64, .34), (.46, .58), (.27, .78), (.14, .9),
                             (.06, .97), (.02, .9), (.1, .84), (.24, .9),
                             (.42, .96), (.8, .95))],
        "2-swan": lambda: [S(C((.1, .18), (.35, 0), (.62, .05), (.7, .25),
                               (.6, .45), (.25, .7), (.08, .96)),
                             C((.08, .96), (.4, .92), (.6, .95), (.8, .9)))],
        "2-angular": lambda: [S(C((.08, .22), (.3, .02), (.55, .02), (.64, .2),
                                  (.58, .38)),
                                P((.58, .38), (.06, .97), (.74, .97)))],
        "2-wavy-base": lambda: [S(C((.05, .3), (.12, .1), (.36, 0), (.6, .08),
                                    (.62, .3), (.35, .62), (.08, .95)),
                                  C((.08, .95), (.3, .88), (.5, .98), (.66, .95),
                                    (.76, .86)))],
    },
    3: {
        "3-round": lambda: [S(C((.08, .15), (.3, .01), (.56, .02), (.66, .2),
                                (.54, .4), (.32, .47)),
                              C((.32, .47), (.6, .54), (.72, .75), (.56, .96),
                                (.28, .99), (.05, .86)))],
        "3-flat-top": lambda: [S(P((.08, .02), (.7, .02), (.32, .42)),
                                 C((.32, .42), (.64, .52), (.74, .74), (.56, .96),
                                   (.28, .99), (.05, .86)))],
        "3-pointed": lambda: [S(C((.1, .1), (.38, 0), (.62, .1), (.6, .3),
                                  (.16, .48)),
                                C((.16, .48), (.55, .55), (.72, .76), (.55, .96),
                                  (.25, .98), (.06, .85)))],
        "3-big-bottom": lambda: [S(C((.18, .1), (.38, 0), (.56, .08), (.52, .26),
                                     (.32, .36)),
                                   C((.32, .36), (.64, .48), (.76, .72), (.6, .96),
                                     (.3, 1), (.04, .88)))],
        "3-curly": lambda: [C((.1, .14), (.38, 0), (.64, .12), (.58, .36),
                              (.36, .46), (.3, .5), (.44, .5), (.68, .62),
                              (.72, .82), (.52, .98), (.24, .98), (.06, .84))],
    },
    4: {
        "4-open": lambda: [P((.16, 0), (.05, .6), (.8, .6)),
                           P((.6, .04), (.6, 1))],
        "4-closed": lambda: [P((.58, 0), (.04, .62), (.8, .6)),
                             P((.6, .01), (.58, 1))],
        "4-one-stroke": lambda: [P((.14, .02), (.07, .58), (.64, .6), (.66, .02),
                                   (.64, 1))],
        "4-long-bar": lambda: [P((.2, 0), (.04, .6), (.96, .57)),
                               P((.64, .06), (.54, 1))],
        "4-curvy-open": lambda: [S(C((.18, 0), (.1, .3), (.1, .55)),
                                   C((.1, .55), (.16, .62), (.45, .6), (.82, .56))),
                                 C((.64, .02), (.62, .5), (.63, 1))],
    },
    5: {
        "5-classic": lambda: [S(P((.18, .03), (.14, .45)),
                                C((.14, .45), (.4, .37), (.64, .48), (.7, .74),
                                  (.5, .97), (.22, .98), (.05, .88))),
                              P((.18, .03), (.72, .02))],
        "5-one-stroke": lambda: [S(P((.72, .02), (.2, .04), (.16, .44)),
                                   C((.16, .44), (.42, .38), (.66, .5), (.68, .76),
                                     (.48, .97), (.2, .97), (.04, .86)))],
        "5-round-belly": lambda: [S(P((.2, .03), (.16, .42)),
                                    C((.16, .42), (.5, .36), (.76, .56), (.7, .86),
                                      (.42, 1), (.14, .94), (.08, .8))),
                                  P((.2, .03), (.68, .0))],
        "5-boxy": lambda: [S(P((.2, .02), (.16, .46), (.5, .45)),
                             C((.5, .45), (.7, .6), (.68, .86), (.45, .99),
                               (.12, .9))),
                           P((.2, .02), (.74, .02))],
        "5-slanted-stem": lambda: [S(P((.74, .01), (.3, .02), (.1, .46)),
                                     C((.1, .46), (.38, .4), (.62, .52), (.64, .78),
                                       (.44, .98), (.14, .96), (.02, .84)))],
    },
    6: {
        "6-classic": lambda: [C((.62, 0), (.35, .12), (.15, .4), (.1, .7),
                                (.28, .97), (.56, .94), (.68, .72), (.48, .53),
                                (.22, .58), (.12, .72))],
        "6-straight-stem": lambda: [S(P((.58, 0), (.12, .66)),
                                      C((.12, .66), (.18, .92), (.42, 1), (.64, .86),
                                        (.6, .6), (.36, .54), (.14, .68)))],
        "6-small-loop": lambda: [C((.56, 0), (.32, .2), (.16, .5), (.14, .8),
                                   (.32, .99), (.54, .92), (.56, .74), (.38, .64),
                                   (.18, .76))],
        "6-big-loop": lambda: [C((.66, .02), (.4, .08), (.16, .3), (.06, .62),
                                 (.2, .94), (.5, .98), (.72, .76), (.6, .5),
                                 (.32, .44), (.1, .56))],
        "6-open-loop": lambda: [C((.6, .02), (.34, .16), (.17, .45), (.14, .75),
                                  (.3, .96), (.56, .95), (.66, .76), (.52, .6),
                                  (.34, .62))],
    },
    7: {
        "7-plain": lambda: [P((.04, .03), (.76, .02), (.34, 1))],
        "7-crossbar": lambda: [P((.04, .03), (.76, .02), (.34, 1)),
                               P((.3, .52), (.78, .5))],
        "7-curved": lambda: [S(P((.04, .04), (.78, .02)),
                               C((.78, .02), (.56, .38), (.44, .72), (.4, 1)))],
        "7-serif": lambda: [P((.05, .17), (.07, .02), (.76, .03), (.38, 1))],
        "7-steep": lambda: [S(P((.04, .02), (.72, .03)),
                              C((.72, .03), (.62, .35), (.56, .68), (.54, 1)))],
    },
    8: {
        "8-one-stroke": lambda: [C((.68, .14), (.45, 0), (.2, .08), (.2, .3),
                                   (.45, .48), (.7, .66), (.7, .9), (.45, 1),
                                   (.2, .9), (.22, .66), (.45, .48), (.68, .3),
                                   (.68, .12), (.6, .04))],
        "8-two-circles": lambda: [E(.45, .24, .2, .24, -60, -425),
                                  E(.45, .74, .25, .26, -90, -455)],
        "8-small-top": lambda: [C((.62, .1), (.44, 0), (.27, .08), (.28, .26),
                                  (.45, .4), (.72, .58), (.76, .86), (.46, 1),
                                  (.16, .88), (.2, .6), (.45, .4), (.62, .26),
                                  (.62, .1))],
        "8-slanted": lambda: [slanted(C((.68, .14), (.45, 0), (.2, .08), (.2, .3),
                                        (.45, .48), (.7, .66), (.7, .9), (.45, 1),
                                        (.2, .9), (.22, .66), (.45, .48),
                                        (.68, .3), (.68, .12)), 10)],
        "8-reverse": lambda: [C((.22, .14), (.45, 0), (.7, .1), (.68, .3),
                                (.45, .48), (.2, .66), (.2, .9), (.45, 1),
                                (.7, .9), (.68, .66), (.45, .48), (.22, .3),
                                (.24, .1))],
    },
    9: {
        "9-straight": lambda: [S(C((.68, .12), (.45, 0), (.16, .1), (.14, .34),
                                   (.42, .46), (.66, .34), (.68, .12)),
                                 P((.68, .12), (.66, 1)))],
        "9-curved-tail": lambda: [S(C((.68, .12), (.45, 0), (.16, .1), (.14, .34),
                                      (.42, .46), (.66, .34), (.68, .12)),
                                    C((.68, .12), (.68, .55), (.58, .88),
                                      (.38, 1), (.26, .97)))],
        "9-slanted-stem": lambda: [S(C((.7, .12), (.48, 0), (.2, .08), (.16, .3),
                                       (.4, .43), (.66, .32), (.7, .12)),
                                     P((.7, .12), (.4, 1)))],
        "9-two-strokes": lambda: [E(.42, .22, .26, .22, 10, -360),
                                  C((.69, .04), (.68, .5), (.66, 1))],
        "9-small-loop": lambda: [S(C((.6, .1), (.42, 0), (.2, .08), (.2, .28),
                                     (.42, .36), (.6, .26), (.6, .1)),
                                   C((.6, .1), (.6, .6), (.57, 1)))],
    },
}


# --------------------------------------------------------------------------
# Writers: size (fraction of canvas height), aspect (width factor),
# slant (deg, top leaning right), position (where the digit sits in the
# free room left on the canvas: -1 = left/top edge, 0 = centered, +1 =
# right/bottom edge) and wobble (smooth jitter, fraction of digit height).
# --------------------------------------------------------------------------

WRITERS = [
    dict(size=0.78, aspect=1.00, slant=0, pos=(0, 0), wobble=0.010),
    dict(size=0.62, aspect=0.85, slant=10, pos=(0, 0), wobble=0.015),
    dict(size=0.48, aspect=1.10, slant=-6, pos=(-0.9, -0.8), wobble=0.012),
    dict(size=0.80, aspect=1.15, slant=4, pos=(0.1, 0.2), wobble=0.018),
    dict(size=0.55, aspect=0.90, slant=13, pos=(0.8, 0.7), wobble=0.015),
    dict(size=0.70, aspect=0.80, slant=-12, pos=(-0.3, 0.3), wobble=0.012),
    dict(size=0.45, aspect=1.00, slant=2, pos=(0.9, -0.9), wobble=0.020),
    dict(size=0.74, aspect=1.20, slant=-3, pos=(0, -0.4), wobble=0.014),
    dict(size=0.47, aspect=0.95, slant=8, pos=(-0.8, 0.9), wobble=0.016),
    dict(size=0.66, aspect=1.05, slant=-9, pos=(0.5, 0), wobble=0.010),
    dict(size=0.78, aspect=0.90, slant=15, pos=(-0.2, 0), wobble=0.020),
    dict(size=0.58, aspect=1.10, slant=-15, pos=(0.3, -0.5), wobble=0.013),
]


def wobble_field(rng, amp):
    """A smooth random displacement field over the unit box."""
    waves = []
    for _ in range(3):
        k = rng.uniform(0.6, 1.8, size=2) * rng.choice([-1, 1], size=2)
        waves.append((k, rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi)))

    def field(p):
        d = np.zeros_like(p)
        for k, ph_x, ph_y in waves:
            arg = 2 * math.pi * (p @ k)
            d[:, 0] += np.sin(arg + ph_x)
            d[:, 1] += np.sin(arg + ph_y)
        return p + d * amp / math.sqrt(len(waves))
    return field


def resample(stroke, rng, lo=2.0, hi=6.0):
    """Resample a dense path like a mouse: a smoothly varying step of about
    2.5-5.5 px, then drop points closer than `lo` (e.g. across sharp corners)."""
    seg = np.hypot(*np.diff(stroke, axis=0).T)
    cum = np.concatenate([[0], np.cumsum(seg)])
    length = cum[-1]
    mean, amp = rng.uniform(3.2, 4.6), rng.uniform(0.3, 1.0)
    freq, phase = rng.uniform(0.01, 0.04), rng.uniform(0, 2 * math.pi)
    steps, s = [], 0.0
    while s < length:
        st = mean + amp * math.sin(freq * s + phase)
        steps.append(st)
        s += st
    if len(steps) > 1 and abs(length / (s - steps[-1]) - 1) < abs(length / s - 1):
        steps.pop()
    steps = np.array(steps) * length / sum(steps)
    at = np.concatenate([[0], np.cumsum(steps)])
    at[-1] = length
    pts = np.column_stack([np.interp(at, cum, stroke[:, 0]),
                           np.interp(at, cum, stroke[:, 1])])
    keep = [pts[0]]
    for p in pts[1:-1]:
        if np.hypot(*(p - keep[-1])) >= lo:
            keep.append(p)
    if np.hypot(*(pts[-1] - keep[-1])) >= lo or len(keep) == 1:
        keep.append(pts[-1])  # else end a hair short of the exact end point
    out = [keep[0]]
    for p in keep[1:]:
        gap = np.hypot(*(p - out[-1]))
        if gap > hi:  # only after a dropped point: split the gap
            n = math.ceil(gap / hi)
            out.extend(out[-1] + (p - out[-1]) * k / n for k in range(1, n))
        out.append(p)
    return np.array(out)


def draw(strokes, writer, rng):
    """Turn unit-box style strokes into canvas strokes for one writer."""
    size = np.clip(writer["size"] + rng.uniform(-0.03, 0.03), 0.40, 0.85)
    aspect = writer["aspect"] * rng.uniform(0.94, 1.06)
    slant = np.clip(writer["slant"] + rng.uniform(-3, 3), -15, 15)
    field = wobble_field(rng, writer["wobble"] * rng.uniform(0.8, 1.2))

    allpts = np.vstack(strokes)
    top, bottom = allpts[:, 1].min(), allpts[:, 1].max()
    height = size * CANVAS
    scale = height / (bottom - top)
    out = []
    for st in strokes:
        st = field(st)
        x = st[:, 0] * scale * aspect
        y = (st[:, 1] - top) * scale
        x = x + (height / 2 - y) * math.tan(math.radians(slant))
        out.append(np.column_stack([x, y]))

    allpts = np.vstack(out)
    lo, hi = allpts.min(axis=0), allpts.max(axis=0)
    room = (CANVAS - 2 * MARGIN) - (hi - lo)
    assert (room >= 0).all(), "digit does not fit on the canvas"
    pos = np.clip(np.array(writer["pos"]) + rng.uniform(-0.1, 0.1, 2), -1, 1)
    offset = MARGIN + room * (pos + 1) / 2 - lo
    return [resample(st + offset, rng) for st in out]


def build():
    rng = np.random.default_rng(SEED)
    samples = []
    for label in range(10):
        names = list(STYLES[label])
        for w, writer in enumerate(WRITERS):
            style = names[(w + label) % len(names)]
            strokes = draw(STYLES[label][style](), writer, rng)
            samples.append({
                "label": label, "style": style, "writer": w,
                "strokes": [[[round(float(x), 1), round(float(y), 1)] for x, y in st]
                            for st in strokes],
            })
    return {"canvas": [CANVAS, CANVAS], "samples": samples}


def check(data):
    for s in data["samples"]:
        for st in s["strokes"]:
            a = np.array(st)
            assert len(a) >= 2
            assert a.min() >= 4 and a.max() <= CANVAS - 4, s["style"]
            d = np.hypot(*np.diff(a, axis=0).T)
            assert d.min() >= 1.9 and d.max() <= 6.1, (s["style"], d.min(), d.max())


if __name__ == "__main__":
    data = build()
    check(data)
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(data['samples'])} samples to {OUT} "
          f"({os.path.getsize(OUT) / 1024:.0f} KB)")
