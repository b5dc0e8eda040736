"""natbacc's colours stay distinguishable for colour-blind readers, and the maths behind that check is right."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from natbacc.model import AREAS
from natbacc.palette import (
    DEFICIENCIES,
    MIN_DELTA_E,
    closest_pair,
    contrast_ratio,
    delta_e,
    lab,
    palette,
    simulate,
    stage_colours,
    text_on,
)
from natbacc.settings import Settings
from natbacc.vocabulary import Status

VIEWS = ("normal", *DEFICIENCIES)


def _stages() -> dict[str, str]:
    """The shipped rule set's project stages as the chart colours them ("not started" neutral grey)."""
    stages = Settings.default().project["stages"]
    return {"not_started": palette().neutral, **dict(zip(stages[1:], stage_colours(len(stages) - 1), strict=True))}


PALETTES = {"status": lambda: palette().status, "area": lambda: palette().area, "stage": _stages}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("name", PALETTES)
def test_every_pair_of_colours_stays_distinct_for_colour_blind_readers(name, view):
    """Every pair of status colours, area colours and project-stage colours is at least MIN_DELTA_E CIEDE2000
    units apart for normal vision and under simulated protanopia, deuteranopia and tritanopia."""
    colours = PALETTES[name]()
    pair = closest_pair(colours, view)
    assert pair.delta_e >= MIN_DELTA_E[name], f"{name}: {pair.first} and {pair.second} look alike under {view}"


def test_the_old_status_colours_fail_the_check():
    """Red "off track" and green "on track" that looked the same olive under deuteranopia are caught."""
    old = {"on track": "#1A7F37", "at risk": "#D4A72C", "off track": "#B42318"}
    assert closest_pair(old, "deuteranopia").delta_e < MIN_DELTA_E["status"]
    assert closest_pair(old, "normal").delta_e >= MIN_DELTA_E["status"]


def test_every_status_and_area_has_a_colour_and_areas_have_one_each():
    p = palette()
    assert set(p.status) == {s.value for s in Status}
    assert list(p.area) == list(AREAS)
    assert len(set(p.area.values())) == len(AREAS)


def test_more_stages_than_the_scale_still_get_distinct_ordered_shades():
    """A school with eight project stages gets eight shades from light to dark, none repeated."""
    shades = stage_colours(8)
    assert len(set(shades)) == 8
    lightness = [lab(simulate(c, "normal"))[0] for c in shades]
    assert lightness == sorted(lightness, reverse=True)


# Sharma, Wu & Dalal (2005), supplementary test data: six of its pairs with their published CIEDE2000.
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (50.0, 3.1736, 0.5854), 1.0),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.694), (23.0331, 14.973, -42.5619), 2.0373),
]


@pytest.mark.parametrize(("first", "second", "expected"), SHARMA)
def test_ciede2000_matches_the_published_test_data(first, second, expected):
    assert delta_e(np.array(first), np.array(second)) == pytest.approx(expected, abs=1e-4)
    assert delta_e(np.array(second), np.array(first)) == pytest.approx(expected, abs=1e-4)


# CIELAB of colours inside the gamut after simulation, as colorspacious 1.1.2 (Machado 2009, severity 100)
# computes them; out-of-gamut results differ by design (natbacc clips to what a screen can show).
REFERENCE = [
    ("#0072B2", "deuteranopia", (43.79, 9.49, -44.08)),
    ("#009E73", "deuteranopia", (55.84, -1.28, 9.21)),
    ("#CC6677", "deuteranopia", (58.64, -1.87, 13.87)),
    ("#0072B2", "protanopia", (49.22, 6.88, -37.65)),
    ("#CC6677", "protanopia", (50.91, -0.15, 1.14)),
    ("#CC6677", "tritanopia", (55.78, 52.06, 16.18)),
    ("#D55E00", "tritanopia", (53.9, 65.15, 30.67)),
]


@pytest.mark.parametrize(("colour", "deficiency", "expected"), REFERENCE)
def test_simulation_matches_an_independent_implementation(colour, deficiency, expected):
    assert lab(simulate(colour, deficiency)) == pytest.approx(expected, abs=0.05)


def test_simulation_leaves_greys_grey_and_normal_vision_unchanged():
    for deficiency in DEFICIENCIES:
        grey = lab(simulate("#777777", deficiency))
        assert abs(grey[1]) < 0.5 and abs(grey[2]) < 0.5
    assert lab(simulate("#FFFFFF", "normal")) == pytest.approx((100, 0, 0), abs=0.01)


def test_labels_printed_on_coloured_bars_are_readable():
    """Text inside a status or area bar is black or white, whichever gives at least 4.5:1 (WCAG AA)."""
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    for colour in itertools.chain(palette().status.values(), palette().area.values(), stage_colours(5)):
        assert contrast_ratio(text_on(colour), colour) >= 4.5, colour


def _blend(colour: str, alpha: float, background: str) -> str:
    from natbacc.palette import hex_to_rgb

    mixed = hex_to_rgb(colour) * alpha + hex_to_rgb(background) * (1 - alpha)
    return "#" + "".join(f"{round(v * 255):02X}" for v in mixed)


def test_the_dashboard_theme_keeps_captions_and_accents_at_wcag_aa():
    """Streamlit draws captions at 60% of the theme's text colour: on white and on the sidebar's grey they reach
    4.5:1, and the accent colour reads on its own 10% tint (a selected filter's chip). `natbacc serve` passes the
    same theme (tests/test_safe_defaults.py keeps the two equal)."""
    import tomllib

    from natbacc.serve import SAFE_OPTIONS
    from tests.conftest import REPO

    theme = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    assert SAFE_OPTIONS["theme.textColor"] == theme["textColor"]
    caption = theme["textColor"]
    for background in ("#FFFFFF", "#F8F8F7"):  # Streamlit's light background and secondary background
        assert contrast_ratio(_blend(caption, 0.6, background), background) >= 4.5
    accent = theme["primaryColor"]
    assert contrast_ratio(accent, _blend(accent, 0.1, "#FFFFFF")) >= 4.5
    assert contrast_ratio("#FFFFFF", accent) >= 4.5
