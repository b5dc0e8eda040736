"""Options: see which pupils a block design narrows before the blocks are drawn, and design blocks that don't."""

import hashlib

import streamlit as st

from natbacc.io.source import Source
from natbacc.model import plural
from natbacc.options.analyse import Analysis
from natbacc.options.instance import DEFAULT_MIN_CLASS, Design, Rules, Season
from natbacc.options.job import DesignJob, find, register
from natbacc.options.plan import analyse_design
from natbacc.options.read import read_choices, read_design
from natbacc.options.rules import RuleError, parse_apart, parse_classes, parse_fixed
from natbacc.options.workbook import classes_table, design_table, equity_table, placements_table, plan_workbook
from natbacc.sample import SEASON_FILES, build_season_files, sample_paths
from natbacc.subjects import SubjectMap
from natbacc.ui import state
from natbacc.ui.components.layout import metrics
from natbacc.ui.components.safe import md
from natbacc.ui.components.tables import issues_table
from natbacc.vocabulary import ClassStatus

JOB = "options_job"
DESIGNED = "options_designed"
SAMPLE = "options_use_sample"
JOB_FOR = "options_job_for"
#: Which pupils the drill-down lists: code -> what the picker says.
LOST_AREA, MISSED_CHOICE, EVERYONE = "lost_area", "missed_choice", "everyone"
WHO = {
    LOST_AREA: "Pupils who lose an entitlement area",
    MISSED_CHOICE: "Pupils who miss a choice",
    EVERYONE: "Everyone",
}

# The season's files are next year's, not the term loaded in the sidebar: the header names no cohort.
settings = state.settings()
minimum_group = int(settings.equity["min_group_size"])
st.title("Options")
st.markdown(
    "Before the option blocks are drawn: which pupils a design keeps from their choices or from an entitlement "
    "area (arts, a language, a humanity, technology), and a design that keeps more of them."
)


@st.cache_data(show_spinner="Reading the choices…", max_entries=4)
def _season(files: tuple[tuple[str, bytes], ...]) -> tuple[Season | None, list]:
    return read_choices([Source(n, b) for n, b in files], settings=settings)


@st.cache_data(show_spinner="Placing pupils in your design…", max_entries=4)
def _school(key: str, _season: Season, _design: Design, class_size: int, min_class: int) -> Analysis:
    rules = Rules(blocks=len(_design.blocks), class_size=class_size, min_class=min_class)
    return analyse_design(_season, _design, rules, settings=settings)


@st.cache_resource(show_spinner=False)
def _sample_season() -> dict[str, bytes]:
    """The sample school's Year 9 choices and current blocks: generated once per server."""
    return build_season_files()


def default_map() -> SubjectMap:
    return SubjectMap.default()


def _digest(files: tuple[tuple[str, bytes], ...]) -> str:
    h = hashlib.sha256()
    for name, data in files:
        h.update(name.encode() + b"\0" + data)
    return h.hexdigest()


# ---- the season's files -------------------------------------------------------------------------
left, right = st.columns(2)
uploads = left.file_uploader(
    "Next year's option choices (and pupil details, for Pupil Premium, SEN and EAL)",
    accept_multiple_files=True,
    help="One row per pupil: Adno, Choice 1..n, Reserve 1..n. Or one row per choice: Adno, Subject, Rank.",
    key="options_choices",
)
design_upload = right.file_uploader(
    "Your block design (optional)",
    help="One column per block (Block A, Block B, ...) listing its classes; a subject twice is two classes; "
    "'Art (25)' sets a class size.",
    key="options_design",
)
season_files = _sample_season()
if not uploads and not st.session_state.get(SAMPLE):
    st.info("Upload Year 9's option choices, or try the page on the sample school's Year 9.")
    if st.button("Use the sample school's Year 9 choices and blocks", icon=":material/science:"):
        st.session_state[SAMPLE] = True
        st.rerun()
    st.stop()

if uploads:
    files = tuple((u.name, u.getvalue()) for u in uploads)
    design_file = (design_upload.name, design_upload.getvalue()) if design_upload else None
else:
    choices_name, design_name = SEASON_FILES
    details = next(p for p in sample_paths() if p.name == "pupil_details.xlsx")
    files = ((choices_name, season_files[choices_name]), (details.name, details.read_bytes()))
    design_file = (
        (design_upload.name, design_upload.getvalue()) if design_upload else (design_name, season_files[design_name])
    )
    st.caption("Sample school: synthetic Year 9 choices for Year 10 and the sample's current blocks.")

season, issues = _season(files)
problems = [i for i in issues if i.severity != "info"]
if season is None:
    issues_table(issues, key="options_issues")
    st.stop()

c1, c2, c3, c4 = st.columns(4)
class_size = int(c1.number_input("Most pupils in a class", 5, 60, 30, key="options_class_size"))
min_class = int(c2.number_input("Fewest pupils to run a class", 0, 60, DEFAULT_MIN_CLASS, key="options_min_class"))
time_limit = int(c4.number_input("Seconds to search", 5, 600, 30, step=5, key="options_time"))
design: Design | None = None
if design_file is not None:
    design, design_issues = read_design(Source(*design_file), season, class_size=class_size)
    issues = issues + design_issues
    problems += [i for i in design_issues if i.severity != "info"]
blocks = int(
    c3.number_input("Option blocks", 2, 10, len(design.blocks) if design is not None else 4, key="options_blocks")
)
st.caption(
    f"{plural(season.pupil_count, 'pupil')} with choices, {plural(len(season.subjects), 'subject')}"
    + (f"; your design has {plural(len(design.blocks), 'block')}." if design is not None else ".")
)
if problems:
    with st.expander(f"{plural(len(problems), 'thing')} to check in the files"):
        issues_table(problems, key="options_issues")

school: Analysis | None = None
if design is not None:
    key = _digest(files) + _digest((design_file,) if design_file else ()) + f"{class_size}/{min_class}"
    school = _school(key, season, design, class_size, min_class)

# ---- the designer -------------------------------------------------------------------------------
st.subheader("Design blocks")
st.markdown(
    "natbacc searches for blocks that give the most pupils **all** their choices; then, among those, keeps "
    "every entitlement area pupils chose, uses reserves only when needed and fills classes evenly. "
    "Each subject runs as many classes as its demand needs at this class size."
)
with st.expander("Rules (optional)"):
    r1, r2, r3 = st.columns(3)
    fixed_text = r1.text_area("Subjects fixed in a block", key="options_fixed", placeholder="Art=A\nTriple Science=2")
    apart_text = r2.text_area("Never in the same block", key="options_apart", placeholder="Art,Photography")
    classes_text = r3.text_area(
        "Most classes for a subject", key="options_classes", placeholder="French=2", help="Otherwise as demand needs."
    )
rule_error = ""
extra = Rules(blocks=blocks, class_size=class_size, min_class=min_class)
try:
    lines = {name: [x for x in text.splitlines() if x.strip()] for name, text in
             (("fixed", fixed_text), ("apart", apart_text), ("classes", classes_text))}  # fmt: skip
    extra = Rules(
        blocks=blocks,
        class_size=class_size,
        min_class=min_class,
        classes=parse_classes(season, lines["classes"], default_map()),
        fixed=parse_fixed(season, lines["fixed"], blocks, default_map()),
        apart=parse_apart(season, lines["apart"], default_map()),
    )
except RuleError as exc:
    rule_error = str(exc)
    st.error(md(rule_error))
#: What a design was made for: the files and every setting; a result for anything else is not shown.
designed_for = _digest(files) + _digest((design_file,) if design_file else ()) + repr(extra) + str(time_limit)
job = find(st.session_state.get(JOB))
busy = bool(job and job.running) or bool(rule_error)
if st.button("Design blocks", type="primary", disabled=busy, icon=":material/auto_awesome:"):
    start = design if design is not None and len(design.blocks) == blocks else None
    started = DesignJob(season, extra, float(time_limit), settings, starting_design=start).start()
    st.session_state[JOB] = register(started, replacing=st.session_state.get(JOB))
    st.session_state[JOB_FOR] = designed_for
    st.session_state.pop(DESIGNED, None)
    st.rerun()


pupil_count = season.pupil_count


searching = job is not None and job.running


@st.fragment(run_every=1.0 if searching else None)  # redraws only while a search runs
def _progress() -> None:
    job = find(st.session_state.get(JOB))
    if job is None:
        return
    if job.running:
        share = min(1.0, job.elapsed / max(job.time_limit, 1.0))
        best = job.latest
        text = (
            f"Best so far: **{best.fully_placed:,} of {pupil_count:,}** pupils get all their choices; "
            f"no design can give more than {best.bound:,}."
            if best is not None
            else "Looking for a first design…"
        )
        st.progress(share, text=f"Searching: {job.elapsed:.0f} of {job.time_limit:.0f} s")
        st.markdown(text)
        if best is not None and st.button("Stop and use the best so far", icon=":material/stop_circle:"):
            job.stop()
            job.wait(30)
            st.rerun(scope="app")
        return
    if st.session_state.get(DESIGNED) != st.session_state.get(JOB):  # just finished: show its result once
        st.session_state[DESIGNED] = st.session_state.get(JOB)
        st.rerun(scope="app")


_progress()
job = find(st.session_state.get(JOB))
designed: Analysis | None = None
if job is not None and not job.running:
    if st.session_state.get(JOB_FOR) != designed_for:
        st.info("The files, settings or rules have changed since the last design: press *Design blocks* again.")
    elif job.error:
        st.error(md(job.error))
    else:
        designed = job.result

# ---- side by side -------------------------------------------------------------------------------
shown = [(name, a) for name, a in (("Your design", school), ("natbacc's design", designed)) if a is not None]
if not shown:
    st.stop()


def _figures(a: Analysis) -> list[tuple[str, str, str | None]]:
    n = len(a.pupils)
    reserves = int((a.pupils["reserves_used"] != "").sum())
    small = int((a.classes["status"] == ClassStatus.TOO_SMALL).sum())
    return [
        ("Get all their choices", f"{a.fully_placed:,} of {n:,}", None),
        (
            "Lose an entitlement area",
            f"{a.lost_area:,}",
            "Pupils without an arts, language, humanity or technology subject they chose.",
        ),
        ("Use a reserve", f"{reserves:,}", None),
        (f"Classes under {a.min_class}", f"{small:,}", "Classes with fewer pupils than the minimum to run."),
    ]


st.subheader("Compare" if len(shown) == 2 else shown[0][0])
for column, (name, a) in zip(st.columns(len(shown)), shown, strict=True):
    with column:
        if len(shown) == 2:
            st.markdown(f"#### {name}")
        figures = _figures(a)
        metrics(figures[:2])
        metrics(figures[2:])
        for line in a.summary():
            st.markdown(f"- {md(line)}")
        st.dataframe(design_table(a), hide_index=True, width="stretch")

# ---- drill down ---------------------------------------------------------------------------------
st.subheader("Pupils")
by_name = dict(shown)
names = list(by_name)
which = st.radio("Design", names, horizontal=True, key="options_which") if len(names) > 1 else names[0]
chosen = by_name[which]
who = st.selectbox("Show", list(WHO), format_func=WHO.__getitem__, key="options_who")
table = placements_table(chosen)
if who == LOST_AREA:
    table = table[table["Loses entitlement area"] != ""]
elif who == MISSED_CHOICE:
    table = table[~table["All choices"]]
if table.empty:
    st.success("Nobody: every pupil keeps what this view is about.")
else:
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"Why": st.column_config.TextColumn("Why", width="large")},
        key="options_pupils",
    )
    names_shown = table["Name"].fillna("").astype(str)
    options = (names_shown + " (" + table["Pupil ID"] + ")").where(names_shown != "", table["Pupil ID"]).tolist()
    picked = st.selectbox("Open a pupil", options, key="options_pupil")
    row = table.iloc[options.index(picked)]
    st.markdown(
        f"**{md(row['Name'] if isinstance(row['Name'], str) else row['Pupil ID'])}** chose {md(row['Choices'])}. "
        f"Blocks: {md(row['Blocks'] or 'none')}."
        + (f" Not placed: {md(row['Not placed'])}, because {md(row['Why'])}." if row["Not placed"] else "")
        + (f" Reserve used: {md(row['Reserve used'])}." if row["Reserve used"] else "")
        + (f" Loses {md(row['Loses entitlement area'])}." if row["Loses entitlement area"] else "")
    )

tab_equity, tab_classes = st.tabs(["Equity", "Classes"])
with tab_equity:
    st.caption(
        f"Disadvantaged, SEN and EAL pupils against the rest; blank where a group (or the rest) has fewer than "
        f"{minimum_group} pupils."
    )
    for name, a in shown:
        if len(shown) > 1:
            st.markdown(f"**{name}**")
        eq = equity_table(a)
        if eq.empty:
            st.info("No Pupil Premium, SEN or EAL details were given; add the pupil details export to compare.")
        else:
            shares = [c for c in eq.columns if c.startswith("%")]
            shown_eq = eq.astype(dict.fromkeys(shares, "object"))
            for c in shares:  # a suppressed figure reads as a dash, with the reason in the caption above
                shown_eq[c] = eq[c].map(lambda v: "–" if v != v else f"{v:.1f}%")
            st.dataframe(shown_eq, hide_index=True, width="stretch")
with tab_classes:
    st.dataframe(classes_table(chosen), hide_index=True, width="stretch")

plan = designed if designed is not None else chosen
st.download_button(
    "Download the plan (Excel)",
    plan_workbook(plan, min_group_size=minimum_group, compared=school if designed is not None else None),
    file_name="options-plan.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
)
