"""The NBfE rule set: defaults with sources, validated overrides."""

from datetime import date

import pytest

from natbacc.settings import Settings, SettingsError, default_settings_text


def test_defaults_cite_their_sources():
    """It ships defaults whose file cites the domain reference for its values."""
    text = default_settings_text()
    assert "natbacc-domain.md" in text
    settings = Settings.default()
    assert settings.periods_per_cycle == 50
    assert settings.project["target_hours"]["ks4"] == 60
    assert settings.project["target_hours"]["ks5"] == 120
    assert "religious_education" in settings.core["ks3_statutory"]


def test_partial_override_changes_only_what_it_names():
    """It merges a school's partial file over the defaults."""
    settings = Settings.from_overrides({"timetable": {"periods_per_cycle": 30}})
    assert settings.periods_per_cycle == 30
    assert settings.cycle_weeks == 2


def test_unknown_setting_is_reported():
    """It rejects a misspelt setting instead of silently ignoring it."""
    with pytest.raises(SettingsError, match="periods_per_cycel"):
        Settings.from_overrides({"timetable": {"periods_per_cycel": 30}})


def test_wrong_type_is_reported():
    """It rejects a value of the wrong type."""
    with pytest.raises(SettingsError, match=r"must be a number"):
        Settings.from_overrides({"status": {"on_track": "high"}})


def test_open_tables_accept_new_keys():
    """It lets a school add its own PDP category aliases."""
    settings = Settings.from_overrides({"development": {"category_aliases": {"Leadership & Service": ["CCF"]}}})
    assert settings.development["category_aliases"]["Leadership & Service"] == ["CCF"]


def test_from_file(tmp_path):
    """It reads a TOML override file and reports a broken one clearly."""
    good = tmp_path / "rules.toml"
    good.write_text("[equity]\ngap_threshold_pp = 15\n")
    assert Settings.from_file(good).equity["gap_threshold_pp"] == 15
    bad = tmp_path / "broken.toml"
    bad.write_text("[equity\n")
    with pytest.raises(SettingsError, match=r"broken\.toml"):
        Settings.from_file(bad)


@pytest.mark.parametrize(
    ("day", "fraction"), [(date(2026, 9, 1), 0.0), (date(2027, 7, 22), 1.0), (date(2027, 8, 10), 1.0)]
)
def test_academic_year_fraction(day, fraction):
    """It measures how far through the school year a date is."""
    assert Settings.default().academic_year_fraction(day) == pytest.approx(fraction)


def test_mid_year_fraction_is_between():
    """It pro-rates linearly through the year."""
    assert 0.2 < Settings.default().academic_year_fraction(date(2026, 11, 20)) < 0.3
