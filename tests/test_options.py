"""Options season: reading choices and designs, the designer's guarantees, and what an analysis says."""

from __future__ import annotations

import pandas as pd
import pytest

from natbacc.io.source import Source
from natbacc.options.instance import Rules
from natbacc.options.plan import analyse_design, as_json, design_blocks
from natbacc.options.read import read_choices, read_design
from natbacc.options.solve import solve
from natbacc.vocabulary import ClassStatus, IssueCode


def _csv(name: str, frame: pd.DataFrame) -> Source:
    return Source(name, frame.to_csv(index=False).encode("utf-8"))


def _season(frame: pd.DataFrame):
    season, issues = read_choices([_csv("choices.csv", frame)])
    assert season is not None, [i.message for i in issues]
    return season, issues


def _wide(rows: list[tuple[str, list[str]]], reserves: dict[str, str] | None = None) -> pd.DataFrame:
    width = max(len(c) for _, c in rows)
    out = []
    for sid, chosen in rows:
        row = {"Adno": sid, **{f"Choice {i + 1}": (chosen[i] if i < len(chosen) else "") for i in range(width)}}
        row["Reserve 1"] = (reserves or {}).get(sid, "")
        out.append(row)
    return pd.DataFrame(out)


# ---- reading --------------------------------------------------------------------------------------


def test_wide_choices_keep_rank_reserves_areas_and_leading_zeros():
    frame = pd.DataFrame(
        {
            "Adno": ["00123", "00456"],
            "Name": ["Zoë O'Brien", "Sam Patel"],
            "First choice": ["Fr", "History"],
            "Second choice": ["Art", "Geog"],
            "Reserve 1": ["Music", "Free"],
            "PP": ["Y", "N"],
        }
    )
    season, _ = _season(frame)
    assert list(season.pupils.index) == ["00123", "00456"]
    assert season.pupils.loc["00123", "name"] == "Zoë O'Brien"
    by_label = {s.label: s for s in season.subjects}
    assert by_label["Fr"].entitlement == "languages" and by_label["Geog"].entitlement == "humanities"
    zoe = next(g for g in season.groups if "00123" in g.pupils)
    assert [season.subjects[s].label for s in zoe.choices] == ["Fr", "Art"]
    assert [season.subjects[s].label for s in zoe.reserves] == ["Music"]
    sam = next(g for g in season.groups if "00456" in g.pupils)
    assert sam.reserves == ()  # "Free" is no subject


def test_long_choices_with_rank_column_and_reserve_ranks():
    frame = pd.DataFrame(
        {
            "Adno": ["1", "1", "1", "2", "2"],
            "Subject": ["Music", "French", "Drama", "History", "French"],
            "Rank": ["2", "1", "R1", "1", "2"],
        }
    )
    season, _ = _season(frame)
    one = next(g for g in season.groups if "1" in g.pupils)
    assert [season.subjects[s].label for s in one.choices] == ["French", "Music"]
    assert [season.subjects[s].label for s in one.reserves] == ["Drama"]


def test_no_choices_is_a_clear_error():
    season, issues = read_choices([_csv("pupils.csv", pd.DataFrame({"Adno": ["1"], "Name": ["A B"], "Year": ["9"]}))])
    assert season is None
    assert any(i.code == IssueCode.NO_CHOICES and "Choice 1" in i.message for i in issues)


def test_design_file_repeats_make_two_classes_sizes_and_unknown_subjects_named():
    season, _ = _season(_wide([("1", ["French", "Art"]), ("2", ["History", "Art"])]))
    design_file = pd.DataFrame({"Block A": ["French", "Art (25)", "Art"], "Block B": ["History", "Latin", ""]})
    design, issues = read_design(_csv("blocks.csv", design_file), season, class_size=30)
    assert design is not None
    art = season.index_of("Art and Design")
    assert design.classes(art, 0) == 2 and design.capacity(art, 0) == 55
    unknown = [i for i in issues if i.code == IssueCode.DESIGN_UNKNOWN_SUBJECT]
    assert len(unknown) == 1 and "'Latin' in block B" in unknown[0].message and unknown[0].row == 3


def test_unreadable_design_says_what_a_design_looks_like():
    season, _ = _season(_wide([("1", ["French", "Art"])]))
    design, issues = read_design(Source("blocks.csv", b"hello,world\n1,2\n"), season, class_size=30)
    assert design is None
    assert any(i.code == IssueCode.DESIGN_NOT_RECOGNISED and "'Block A'" in i.message for i in issues)


# ---- the designer ---------------------------------------------------------------------------------

#: A perfect design exists: blocks {Art, History}, {French, Geography}, {Music, Computing}; every pupil
#: chose one subject from each, so all can be placed.
PERFECT = [("Art", "French", "Music"), ("History", "Geography", "Computing"), ("Art", "Geography", "Music")]


def test_solver_finds_a_perfect_design_when_one_exists():
    rows = [(f"{k:03d}", list(PERFECT[k % 3])) for k in range(36)]
    season, _ = _season(_wide(rows))
    rules = Rules(blocks=3, class_size=30, min_class=1)
    searched = solve(season, rules, time_limit=5, workers=1, draft=False)  # the CP-SAT search alone
    assert searched.fully_placed == 36 == searched.bound and searched.optimal
    result = design_blocks(season, rules, time_limit=5, workers=1)
    assert result.fully_placed == 36 == result.solution.bound
    assert result.solution.more_possible == 0
    assert "No design can give more pupils all their choices (the solver proved it)." in result.summary()
    # Every pupil's three subjects sit in three different blocks.
    per_pupil = result.placed.groupby("student_id")["block"].nunique()
    assert (per_pupil == 3).all() and len(per_pupil) == 36


def test_bound_proves_no_perfect_design_exists():
    # Three subjects of one class each, two blocks, pupils choosing every pair: two of the three pairs
    # must share a block (a triangle has no two-colouring), so at most 20 of 30 pupils get both choices.
    pairs = [("Art", "French"), ("French", "History"), ("Art", "History")]
    rows = [(f"{k:03d}", list(pairs[k % 3])) for k in range(30)]
    season, _ = _season(_wide(rows))
    rules = Rules(blocks=2, class_size=30, min_class=1, classes=dict.fromkeys(range(3), 1))
    result = design_blocks(season, rules, time_limit=5, workers=1)
    assert result.fully_placed == 20
    assert result.solution.bound == 20 and result.solution.optimal
    losers = result.pupils[~result.pupils["placed_all"]]
    assert len(losers) == 10 and losers["reason"].str.contains("are both only in block").all()


def test_progress_reports_incumbents_and_stop_keeps_the_best_so_far():
    import threading

    pairs = [("Art", "French"), ("French", "History"), ("Art", "History")]  # no perfect design: it must search
    rows = [(f"{k:03d}", list(pairs[k % 3])) for k in range(30)]
    season, _ = _season(_wide(rows))
    seen = []
    stop = threading.Event()

    def hear(progress):
        seen.append(progress)
        stop.set()  # ask to stop at the first design found

    rules = Rules(blocks=2, class_size=30, min_class=1, classes=dict.fromkeys(range(3), 1))
    solution = solve(season, rules, time_limit=20, workers=1, on_progress=hear, stop=stop)
    assert seen and solution.stopped
    assert solution.fully_placed >= seen[0].fully_placed and seen[0].bound >= seen[0].fully_placed
    assert len(solution.design.blocks) == 2 and solution.seconds < 10  # stopped, not timed out


def test_rules_fix_a_subject_in_a_block_and_keep_two_apart():
    rows = [(f"{k:03d}", list(PERFECT[k % 3])) for k in range(12)]
    season, _ = _season(_wide(rows))
    art, music = season.index_of("Art and Design"), season.index_of("Music")
    rules = Rules(blocks=3, class_size=30, min_class=1, fixed=((art, 2),), apart=((art, music),))
    result = design_blocks(season, rules, time_limit=3, workers=1)
    assert art in result.design.blocks[2]
    assert not any(art in b and music in b for b in result.design.blocks)


# ---- analysing a design ---------------------------------------------------------------------------


def test_a_clash_costs_one_named_pupil_a_language_and_says_why():
    rows = [("0042", ["Art", "French"])] + [(f"1{k:03d}", ["Art", "History"]) for k in range(12)]
    frame = _wide(rows)
    frame.insert(1, "Name", ["Zoë O'Brien"] + [f"Pupil {k}" for k in range(12)])
    season, _ = _season(frame)
    design_file = pd.DataFrame({"Block A": ["Art", "French"], "Block B": ["History", ""]})
    design, _ = read_design(_csv("blocks.csv", design_file), season, class_size=30)
    assert design is not None
    result = analyse_design(season, design, Rules(blocks=2, class_size=30), time_limit=5, workers=1)
    lost = result.pupils[result.pupils["lost_areas"] != ""]
    assert list(lost["name"]) == ["Zoë O'Brien"]
    assert lost.iloc[0]["reason"] == "Art and French are both only in block A"
    assert lost.iloc[0]["lost_areas"] in ("arts", "languages")
    assert "1 pupil loses an entitlement area" in " ".join(result.summary())
    # French runs with one pupil (or none): far under the minimum to run.
    french = result.classes[result.classes["label"] == "French"].iloc[0]
    assert french["status"] == ClassStatus.TOO_SMALL


def test_full_classes_are_the_reason_when_blocks_would_fit():
    rows = [(f"{k:03d}", ["Art", "History"]) for k in range(4)]
    season, _ = _season(_wide(rows))
    design_file = pd.DataFrame({"Block A": ["Art (3)"], "Block B": ["History"]})
    design, _ = read_design(_csv("blocks.csv", design_file), season, class_size=30)
    result = analyse_design(season, design, Rules(blocks=2, class_size=30), time_limit=5, workers=1)
    assert result.fully_placed == 3
    loser = result.pupils[~result.pupils["placed_all"]].iloc[0]
    assert loser["reason"] == "the classes that fit were full: Art in block A (3 of 3)"
    assert "1 pupil misses a choice only because the classes that fit were full" in " ".join(result.summary())


def test_equity_compares_groups_and_suppresses_small_ones():
    rows = [(f"{k:03d}", list(PERFECT[k % 3])) for k in range(24)]
    frame = _wide(rows)
    frame["PP"] = ["Y" if k < 12 else "N" for k in range(24)]
    frame["EAL"] = ["Y" if k < 2 else "N" for k in range(24)]
    season, _ = _season(frame)
    result = design_blocks(season, Rules(blocks=3, class_size=30, min_class=1), time_limit=3, workers=1)
    equity = result.equity.set_index("group")
    assert equity.loc["Disadvantaged (PP)", "pct_all_choices_group"] == 100.0
    assert not equity.loc["Disadvantaged (PP)", "suppressed"]
    assert equity.loc["EAL", "suppressed"] and pd.isna(equity.loc["EAL", "pct_all_choices_group"])


def test_json_names_subjects_as_the_choices_file_and_blocks_from_zero():
    rows = [(f"{k:03d}", ["Fr", "Art"]) for k in range(12)]
    season, _ = _season(_wide(rows))
    result = design_blocks(season, Rules(blocks=2, class_size=30, min_class=1), time_limit=3, workers=1)
    doc = as_json(result)
    assert set(doc) == {"pupils", "blocks", "placed", "fully_placed", "bound"}
    assert doc["pupils"] == 12 and doc["fully_placed"] == 12 and doc["bound"] == 12
    assert sorted(s for block in doc["blocks"] for s in block) == ["Art", "Fr"]
    placed = doc["placed"]["000"]
    assert set(placed) == {"Fr", "Art"} and placed["Fr"] != placed["Art"]
    assert all(doc["blocks"][b].count(subject) for subject, b in placed.items())


@pytest.mark.parametrize("size", [2])
def test_two_classes_in_a_block_share_pupils_evenly(size):
    rows = [(f"{k:03d}", ["Art", "History"]) for k in range(20)]
    season, _ = _season(_wide(rows))
    design_file = pd.DataFrame({"Block A": ["Art", "Art"], "Block B": ["History", ""]})
    design, _ = read_design(_csv("blocks.csv", design_file), season, class_size=30)
    result = analyse_design(season, design, Rules(blocks=2, class_size=30), time_limit=5, workers=1)
    art = result.classes[result.classes["label"] == "Art"]
    assert list(art["pupils"]) == [10, 10] and len(art) == size


# ---- the command line -----------------------------------------------------------------------------


def test_cli_json_prints_only_the_contract_and_writes_the_workbook(tmp_path, capsys):
    import json

    from openpyxl import load_workbook

    from natbacc.cli import main

    rows = [(f"{k:03d}", list(PERFECT[k % 3])) for k in range(24)]
    frame = _wide(rows)
    frame.insert(1, "Name", ["=HYPERLINK(1)"] + [f"Pupil {k}" for k in range(23)])
    (tmp_path / "choices.csv").write_bytes(frame.to_csv(index=False).encode())
    blocks = {"Block A": ["Art", "History"], "Block B": ["French", "Geography"], "Block C": ["Music", "Computing"]}
    pd.DataFrame(blocks).to_csv(tmp_path / "blocks.csv", index=False)
    plan = tmp_path / "plan.xlsx"
    args = ["options", str(tmp_path / "choices.csv"), "--class-size", "30", "--json", "-o", str(plan)]
    code = main([*args, "--design", str(tmp_path / "blocks.csv"), "--time-limit", "5"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["blocks"] == [["Art", "History"], ["French", "Geography"], ["Music", "Computing"]]
    assert doc["fully_placed"] == 24 == doc["pupils"] and doc["bound"] == 24
    assert doc["placed"]["000"] == {"Art": 0, "French": 1, "Music": 2}
    book = load_workbook(plan)
    assert {"Summary", "Design", "Placements", "Class lists", "Classes", "Equity"} <= set(book.sheetnames)
    names = [c.value for c in book["Placements"]["B"]]
    assert "=HYPERLINK(1)" in names and book["Placements"]["B2"].data_type == "s"


def test_cli_needs_blocks_without_a_design(tmp_path, capsys):
    from natbacc.cli import main

    (tmp_path / "choices.csv").write_bytes(_wide([("1", ["Art", "French"])]).to_csv(index=False).encode())
    assert main(["options", str(tmp_path / "choices.csv"), "--class-size", "30"]) == 2
    assert "--blocks N" in capsys.readouterr().err


def test_rules_written_as_a_deputy_writes_them():
    from natbacc.options.rules import RuleError, parse_apart, parse_classes, parse_fixed
    from natbacc.subjects import SubjectMap

    season, _ = _season(_wide([("1", ["Fr", "Art", "History"])]))
    m = SubjectMap.default()
    fr, art = season.index_of("French"), season.index_of("Art and Design")
    assert parse_fixed(season, ["French=B", "art = block a"], 3, m) == ((fr, 1), (art, 0))
    assert parse_apart(season, ["Art, Fr"], m) == ((art, fr),)
    assert parse_classes(season, ["Fr=2"], m) == {fr: 2}
    with pytest.raises(RuleError, match="'Latin' is not among the pupils' choices"):
        parse_fixed(season, ["Latin=A"], 3, m)
    with pytest.raises(RuleError, match="not one of the 3 blocks"):
        parse_fixed(season, ["Art=E"], 3, m)
