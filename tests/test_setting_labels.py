"""Every setting has a name in words; the key beside it stays what settings files use."""

from __future__ import annotations

from natbacc.setting_labels import setting_label, setting_words
from natbacc.settings import Settings


def test_every_default_setting_has_words_not_a_key():
    for name, _ in Settings.default().rows():
        label = setting_label(name)
        assert label, f"{name}: no label in config/setting_labels.toml"
        assert "_" not in label and "{" not in label and not label.startswith(name.split(".")[0]), (name, label)


def test_the_varying_parts_of_a_name_read_as_words():
    assert setting_label("equity.min_group_size") == "Minimum group size for equity gaps"
    assert setting_label("core_learning.min_areas.ks4") == "Fewest Core Learning areas before a pupil is flagged, KS4"
    assert setting_label("project.expected_stage_by_year.10") == "Project stage expected by the end of Year 10"
    assert setting_label("core_learning.ks3_reference_periods.physical_education").endswith(": PE")
    assert setting_words("a.setting.added.by_a_school") == "a.setting.added.by_a_school"
