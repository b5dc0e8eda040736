"""Settings: the NBfE rule set natbacc scores against, editable, with the source of every default."""

import tomllib
from datetime import date

import pandas as pd
import streamlit as st

from natbacc.sample import AS_OF as SAMPLE_AS_OF
from natbacc.setting_labels import setting_words
from natbacc.settings import Settings, SettingsError, note_for
from natbacc.sources import CITATION, cited, entries
from natbacc.ui import actions, state
from natbacc.ui import store as stored_terms
from natbacc.ui.components.safe import md
from natbacc.ui.data import current

SECTIONS = {
    "Thresholds": ("status", "equity", "privacy", "timetable", "academic_year"),
    "Core Learning": ("core_learning",),
    "Personal Project": ("project",),
    "Personal Development": ("development",),
    "KS4 and options": ("ks4", "early_options"),
}

loaded = current()
st.title("Settings")
st.markdown(
    "Targets, thresholds and expected areas. The National Baccalaureate Trust leaves these to each school, so "
    "every value is a default you can change; the **Source** column says where each default comes from, and "
    "the links under each table open the cited entries on the **Sources** page. "
    "Changes apply to this browser tab and re-score every page."
)
current_settings = state.settings()
defaults = dict(Settings.default().rows())
changed = {k: v for k, v in current_settings.rows() if defaults.get(k) != v}
if changed:
    differ = "; ".join(setting_words(k) for k in sorted(changed))
    st.info(f"{len(changed)} setting(s) differ from the defaults: {md(differ)}.")


st.date_input(
    "Pro-rate yearly targets to",
    value=state.as_of(SAMPLE_AS_OF if loaded.is_sample else date.today()),
    format="DD/MM/YYYY",
    key=actions.AS_OF_INPUT,
    on_change=actions.on_as_of,
    help="Hours and project stages are expected in proportion to how far through the school year this date is.",
)

rows = pd.DataFrame(current_settings.rows(), columns=["setting", "value"])
# Each setting by name in words; its key (what a settings file says) stays beside it.
rows.insert(0, "label", rows["setting"].map(setting_words))
rows["default"] = rows["setting"].map(defaults).fillna("(added)")
notes = rows["setting"].map(note_for)
# A citation reads as the Sources entry it names; the entries cited in a tab are linked under its table.
# A citation reads as the title of the entry it names ("Sources: Defaults natbacc chose"), not its anchor.
_titles = {anchor: entry.title for anchor, entry in entries().items()}
rows["source"] = notes.str.replace(CITATION, lambda m: f"Sources: {_titles.get(m[1], m[1])}", regex=True)
version = state.version("settings")
with st.form(f"settings_form_{version}"):
    edited: dict[str, str] = {}
    for tab, (title, prefixes) in zip(st.tabs(list(SECTIONS)), SECTIONS.items(), strict=True):
        part = rows[rows["setting"].str.split(".").str[0].isin(prefixes)].reset_index(drop=True)
        with tab:
            result = st.data_editor(
                part,
                hide_index=True,
                width="stretch",
                num_rows="fixed",
                key=f"settings_{title}_{version}",
                disabled=["label", "setting", "default", "source"],
                column_config={
                    "label": st.column_config.TextColumn("Setting", width="large"),
                    "setting": st.column_config.TextColumn("Name in a settings file", width="small"),
                    "value": st.column_config.TextColumn(
                        "Value", width="medium", help="Lists are comma-separated.", required=True
                    ),
                    "default": "Default",
                    "source": st.column_config.TextColumn("Source", width="large"),
                },
            )
            edited.update(zip(result["setting"], result["value"].fillna(""), strict=True))
            known = entries()
            anchors = [a for a in cited(" ".join(notes[rows["setting"].isin(part["setting"])])) if a in known]
            links = [f"[{known[a].title}](sources#{a})" for a in anchors]
            st.caption("Sources cited above: " + " · ".join(links))
    apply = st.form_submit_button("Apply settings", type="primary", icon=":material/check:")
if apply:
    try:
        new = current_settings.with_rows(edited)
    except SettingsError as exc:
        st.error(f"Not applied: {md(exc)}")
    else:
        if new.data == current_settings.data:
            st.info("Nothing changed: the settings in force are the ones shown.")
        else:
            state.set_settings(new)
            stored_terms.remember_settings(new)
            state.bump("settings")
            state.set_notice("success", "Settings applied and saved; every page is re-scored with them.")
            st.rerun()

c1, c2, c3 = st.columns(3)


c1.button("Reset to defaults", on_click=actions.reset_settings, icon=":material/restart_alt:", disabled=not changed)
c2.download_button(
    "Download these settings (TOML)",
    data=current_settings.to_toml(),
    file_name="natbacc-settings.toml",
    mime="application/toml",
    on_click="ignore",
    help="Keep your school's rule set; load it here next time or use it with natbacc --settings.",
)
upload = c3.file_uploader("Load a settings file (TOML)", type=["toml"], key=f"settings_upload_{version}")
if upload is not None:
    try:
        new = Settings.from_overrides(tomllib.loads(upload.getvalue().decode("utf-8")))
    except (SettingsError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        st.error(f"{md(upload.name)} was not loaded: {md(exc)}")
    else:
        state.set_settings(new)
        stored_terms.remember_settings(new)
        state.bump("settings")
        state.set_notice("success", f"Loaded settings from {md(upload.name)}.")
        st.rerun()
