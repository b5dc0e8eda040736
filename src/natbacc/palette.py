"""natbacc's colours, read from ``config/palette.toml``, and the check that colour-blind readers can tell them apart.

Every chart and table colours a status, a Core Learning area or a project stage from here, so one area has one
colour on every page and a status looks the same in a bar, a table and the workbook. Colour is never the only
cue (statuses carry a word and a symbol, areas a label), but where colour is used it must still separate the
categories for the one reader in twelve boys with a colour-vision deficiency.

``simulate`` applies the Machado, Oliveira & Fernandes (2009) matrices (severity 1.0: protanopia,
deuteranopia, tritanopia) in linear sRGB, and ``delta_e`` is CIEDE2000 (Sharma, Wu & Dalal 2005) in CIELAB
(D65). Both are a few lines of numpy, so no dependency is needed; the tests check them against the published
test data. ``closest_pair`` is what the palette test asserts on.
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import numpy as np

from natbacc.model import AREAS
from natbacc.vocabulary import Status

Deficiency = Literal["normal", "protanopia", "deuteranopia", "tritanopia"]
DEFICIENCIES: tuple[Deficiency, ...] = ("protanopia", "deuteranopia", "tritanopia")
#: The smallest CIEDE2000 difference allowed between two colours of a palette, for normal vision and after each
#: simulated deficiency. About 1 unit is just noticeable side by side; chart marks are small and apart, so
#: natbacc asks for many times that: most for statuses, which decide where a reader looks first
#: (docs/sources.md#ciede2000).
MIN_DELTA_E = {"status": 15.0, "area": 10.0, "stage": 10.0}

#: Machado et al. (2009), Table 1, severity 1.0: linear RGB -> linear RGB as a dichromat sees it.
_MACHADO: dict[str, np.ndarray] = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
#: Linear sRGB -> CIE XYZ (D65), IEC 61966-2-1.
_RGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
_D65 = np.array([0.95047, 1.0, 1.08883])


def hex_to_rgb(colour: str) -> np.ndarray:
    """``"#0072B2"`` as sRGB components in 0-1."""
    h = colour.strip().removeprefix("#")
    if len(h) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    return np.array([int(h[k : k + 2], 16) / 255 for k in (0, 2, 4)])


def _to_linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def simulate(colour: str, deficiency: Deficiency) -> np.ndarray:
    """The linear-RGB colour a reader with ``deficiency`` sees for ``colour`` (clipped to the gamut)."""
    linear = _to_linear(hex_to_rgb(colour))
    if deficiency == "normal":
        return linear
    seen: np.ndarray = np.clip(_MACHADO[deficiency] @ linear, 0.0, 1.0)
    return seen


def lab(linear_rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear-RGB colour."""
    xyz = _RGB_TO_XYZ @ linear_rgb / _D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference between two CIELAB colours (Sharma, Wu & Dalal 2005, kL = kC = kH = 1)."""
    l1, a1, b1 = (float(v) for v in lab1)
    l2, a2, b2 = (float(v) for v in lab2)
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360 if c2p else 0.0
    d_l, d_c = l2 - l1, c2p - c1p
    dh = h2p - h1p
    if c1p * c2p == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    d_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp = (h1p + h2p) / 2
    else:
        hp = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(hp - 30))
        + 0.24 * np.cos(np.radians(2 * hp))
        + 0.32 * np.cos(np.radians(3 * hp + 6))
        - 0.20 * np.cos(np.radians(4 * hp - 63))
    )
    d_theta = 30 * np.exp(-(((hp - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(c_mean**7 / (c_mean**7 + 25.0**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * c_mean
    s_h = 1 + 0.015 * c_mean * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return float(np.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)))


@dataclass(frozen=True)
class Pair:
    """The two colours of a palette that are hardest to tell apart for one kind of reader."""

    first: str
    second: str
    deficiency: Deficiency
    delta_e: float


def closest_pair(colours: dict[str, str], deficiency: Deficiency) -> Pair:
    """The least distinguishable pair of ``colours`` (name -> hex) as a reader with ``deficiency`` sees them."""
    seen = {name: lab(simulate(hex_colour, deficiency)) for name, hex_colour in colours.items()}
    pairs = (Pair(a, b, deficiency, delta_e(seen[a], seen[b])) for a, b in itertools.combinations(seen, 2))
    return min(pairs, key=lambda p: p.delta_e)


@dataclass(frozen=True)
class Palette:
    """The colours natbacc draws with (``config/palette.toml``)."""

    status: dict[str, str]
    area: dict[str, str]
    stage: tuple[str, ...]
    series: tuple[str, ...]
    neutral: str
    reference: str


@cache
def palette() -> Palette:
    """The shipped palette, checked: every status and area has a colour."""
    data = tomllib.loads(resources.files("natbacc.config").joinpath("palette.toml").read_text(encoding="utf-8"))
    status = {str(k): str(v) for k, v in data["status"].items()}
    area = {str(k): str(v) for k, v in data["area"].items()}
    missing = [s.value for s in Status if s.value not in status] + [a for a in AREAS if a not in area]
    if missing:
        raise ValueError(f"config/palette.toml has no colour for: {', '.join(missing)}")
    return Palette(
        status=status,
        area={a: area[a] for a in AREAS},
        stage=tuple(data["stage"]["colours"]),
        series=tuple(data["series"]["colours"]),
        neutral=str(data["other"]["neutral"]),
        reference=str(data["other"]["reference"]),
    )


def status_colour(status: str) -> str:
    """The colour of a status (``Status`` member or its code)."""
    return palette().status[str(status)]


def area_colour(area: str) -> str:
    """The colour of a Core Learning area (its code); the neutral grey for an unmapped subject."""
    return palette().area.get(area, palette().neutral)


def stage_colours(n: int) -> list[str]:
    """``n`` colours for an ordered scale (project stages, first to last), light to dark.

    Up to the scale's length they are picked evenly from it; a rule set with more stages gets colours
    interpolated between its steps (in sRGB), so every stage still has its own shade, in order.
    """
    scale = palette().stage
    if n <= 1:
        return list(scale[-1:]) * n
    if n <= len(scale):
        return [scale[round(k * (len(scale) - 1) / (n - 1))] for k in range(n)]
    steps = np.array([hex_to_rgb(c) for c in scale])
    at = np.linspace(0, len(scale) - 1, n)
    rgb = np.column_stack([np.interp(at, np.arange(len(scale)), steps[:, k]) for k in range(3)])
    return ["#" + "".join(f"{round(v * 255):02X}" for v in row) for row in rgb]


def series_colour(k: int) -> str:
    """The ``k``-th colour for lines or bars that are not areas or statuses (terms, schools, groups)."""
    series = palette().series
    return series[k % len(series)]


def tint(colour: str, strength: float) -> str:
    """``colour`` mixed with white (``strength`` 0 = white, 1 = the colour): a cell fill that dark text reads on."""
    mixed = hex_to_rgb(colour) * strength + (1 - strength)
    return "#" + "".join(f"{round(v * 255):02X}" for v in mixed)


def _relative_luminance(colour: str) -> float:
    r, g, b = _to_linear(hex_to_rgb(colour))
    return float(0.2126 * r + 0.7152 * g + 0.0722 * b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21; 4.5 is the AA minimum for body text,
    docs/sources.md#wcag-21)."""
    hi, lo = sorted((_relative_luminance(foreground), _relative_luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (for labels printed inside bars)."""
    return "#000000" if contrast_ratio("#000000", colour) >= contrast_ratio("#FFFFFF", colour) else "#FFFFFF"
