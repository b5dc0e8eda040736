"""The NBfE rule set: defaults with sources, validated overrides."""

from datetime import date

import pytest

from natbacc.settings import Settings, SettingsError, default_settings_text


def test_defaults_cite_their_sources():
    """It ships defaults whose file cites the domain reference for its values."""
    text = default_settings_text()
    assert "docs/sources.md#" in text
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
    ("day", "fraction"), [(date(2026, 9, 1), 0.0), (date(2027, 7, 23), 1.0), (date(2027, 8, 10), 1.0)]
)
def test_academic_year_fraction(day, fraction):
    """It measures how much of the school year's teaching time has gone (school days before the date)."""
    assert Settings.default().academic_year_fraction(day) == pytest.approx(fraction)


def test_mid_year_fraction_is_between():
    """It counts teaching days, so the October half-term adds nothing."""
    s = Settings.default()
    assert 0.2 < s.academic_year_fraction(date(2026, 11, 20)) < 0.3
    assert s.academic_year_fraction(date(2026, 10, 26)) == s.academic_year_fraction(date(2026, 11, 2))


def test_edited_rows_are_parsed_to_the_types_they_replace():
    s = Settings.default().with_rows(
        {
            "status.on_track": "80",
            "core_learning.max_area_share": "0.25",
            "core_learning.entitlement_areas": "arts, languages",
            "development.programmes.ks3_ks4.target_hours": "100",
            "timetable.cycle_weeks": "2",  # unchanged: not an override
        }
    )
    assert s.status["on_track"] == 80 and isinstance(s.status["on_track"], int)
    assert s.core["max_area_share"] == 0.25
    assert s.core["entitlement_areas"] == ["arts", "languages"]
    assert s.programmes["ks3_ks4"]["target_hours"] == 100


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("status.on_track", "lots", "must be a number"),
        ("status.on_track", "-5", "cannot be negative"),
        ("status.off_track", "90", "off_track <= on_track"),
        ("core_learning.entitlement_areas", "arts, musics", "unknown areas: musics"),
        ("core_learning.ks3_statutory", "english, latin", "unknown subjects: latin"),
        ("nonsense.key", "1", "Unknown setting"),
    ],
)
def test_bad_edits_name_the_setting(setting, value, message):
    with pytest.raises(SettingsError, match=message):
        Settings.default().with_rows({setting: value})


def test_settings_round_trip_through_toml():
    import tomllib

    s = Settings.default().with_rows({"status.on_track": "70", "ks4.offered_subjects": "Music, Drama"})
    again = Settings.from_overrides(tomllib.loads(s.to_toml()))
    assert again.data == s.data


def test_every_default_shows_its_source():
    from natbacc.settings import note_for

    assert "docs/sources.md#ks3-timetable-examples" in note_for("core_learning.min_areas.ks4")
    assert "pp" in note_for("equity.gap_threshold_pp")
    assert note_for("status.on_track").startswith("overall_status")


def test_every_setting_has_a_source_note_to_show():
    from natbacc.settings import note_for

    missing = [name for name, _ in Settings.default().rows() if not note_for(name)]
    assert not missing


@pytest.mark.parametrize(
    "toml",
    [
        "[timetable]\nperiods_per_cycle = inf",
        "[status]\non_track = nan",
        "[core_learning.ks3_reference_periods]\nmusic = -inf",
        "[timetable]\nperiods_per_cycle = 1e300",
        "[equity]\nmin_group_size = -5",
    ],
)
def test_infinite_nan_and_absurd_numbers_are_refused_on_every_path(tmp_path, toml):
    """``periods_per_cycle = inf`` once made every timetable 'could not read this file (OverflowError)'."""
    import tomllib

    from natbacc.cli import main

    with pytest.raises(SettingsError, match="must be"):
        Settings.from_overrides(tomllib.loads(toml))
    path = tmp_path / "rules.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError, match="must be"):
        Settings.from_file(path)
    with pytest.raises(SettingsError, match="must be"):
        Settings.default().with_overrides(tomllib.loads(toml))
    from natbacc.sample import sample_paths

    assert main(["check", "--settings", str(path), *map(str, sample_paths())]) == 2


def test_settings_edited_as_text_are_checked_the_same_way():
    for text in ("inf", "nan", "-1", "1e300"):
        with pytest.raises(SettingsError, match=r"must be|cannot be negative"):
            Settings.default().with_rows({"timetable.periods_per_cycle": text})


def test_an_invalid_rule_set_in_the_store_is_explained_not_a_crash(tmp_path, monkeypatch, capsys):
    from natbacc.cli import main
    from natbacc.sample import sample_paths
    from natbacc.store.snapshots import Store

    url = f"sqlite:///{tmp_path / 'natbacc.db'}"
    store = Store.open(url)
    store.set_preference("settings", "[timetable]\nperiods_per_cycle = inf\n")  # saved by an older release
    store.close()
    monkeypatch.setenv("NATBACC_DATABASE_URL", url)
    assert main(["import", *map(str, sample_paths()), "--term", "Autumn 2026"]) == 1
    err = capsys.readouterr().err
    assert "is not valid for this release" in err and "unexpected error" not in err
