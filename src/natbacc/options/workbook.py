"""The options plan workbook and the tables the dashboard shows: design, placements, class lists, equity.

Every sheet is written by the export's injection-safe writer (``natbacc.export``): a pupil or subject
written like a formula stays text.
"""

from __future__ import annotations

import io

import pandas as pd

from natbacc.options.analyse import Analysis, block_name
from natbacc.vocabulary import ClassStatus
from natbacc.xlsx import new_workbook


def design_table(analysis: Analysis) -> pd.DataFrame:
    """One column per block, one row per class: the form schools draw option blocks in."""
    labels = analysis.blocks_as_labels()
    depth = max((len(b) for b in labels), default=0)
    fill = analysis.classes.set_index(["block", "label", "class_no"])["pupils"]
    columns: dict[str, list[str]] = {}
    for b, block in enumerate(labels):
        seen: dict[str, int] = {}
        cells = []
        for label in block:
            seen[label] = seen.get(label, 0) + 1
            n = int(fill.get((block_name(b), label, seen[label]), 0))
            cells.append(f"{label} ({n})")
        columns[f"Block {block_name(b)}"] = cells + [""] * (depth - len(cells))
    return pd.DataFrame(columns)


def placements_table(analysis: Analysis) -> pd.DataFrame:
    """One row per pupil: their choices, their block for each subject, and what they lose and why."""
    placed = analysis.placed.assign(where=lambda f: f["label"] + " (" + f["block"].map(block_name) + ")")
    blocks = placed.groupby("student_id")["where"].agg(lambda s: ", ".join(s))
    p = analysis.pupils
    return pd.DataFrame(
        {
            "Pupil ID": p["student_id"],
            "Name": p["name"],
            "Choices": p["choices"],
            "Blocks": p["student_id"].map(blocks).fillna(""),
            "All choices": p["placed_all"],
            "Not placed": p["missing"],
            "Reserve used": p["reserves_used"],
            "Loses entitlement area": p["lost_words"],
            "Why": p["reason"],
        }
    )


def class_lists(analysis: Analysis) -> pd.DataFrame:
    """Every class of every block with its pupils."""
    names = analysis.pupils.set_index("student_id")["name"]
    placed = analysis.placed.sort_values(["block", "label", "class_no", "student_id"], kind="stable")
    return pd.DataFrame(
        {
            "Block": placed["block"].map(block_name),
            "Subject": placed["label"],
            "Class": placed["class_no"],
            "Pupil ID": placed["student_id"],
            "Name": placed["student_id"].map(names),
            "Reserve": placed["reserve"],
        }
    )


def classes_table(analysis: Analysis) -> pd.DataFrame:
    """Each class's size against its limits, in words."""
    c = analysis.classes
    return pd.DataFrame(
        {
            "Block": c["block"],
            "Subject": c["label"],
            "Class": c["class_no"],
            "Pupils": c["pupils"],
            "Places": c["capacity"],
            "Status": c["status"].map(lambda s: ClassStatus(s).label),
        }
    )


def equity_table(analysis: Analysis) -> pd.DataFrame:
    """Each group against the rest; blank where a group is too small to compare."""
    e = analysis.equity
    return pd.DataFrame(
        {
            "Group": e["group"],
            "Compared with": e["reference"],
            "Pupils in group": e["n_group"],
            "Pupils compared with": e["n_reference"],
            "% all choices (group)": e["pct_all_choices_group"],
            "% all choices (rest)": e["pct_all_choices_reference"],
            "% lose an entitlement area (group)": e["pct_lost_area_group"],
            "% lose an entitlement area (rest)": e["pct_lost_area_reference"],
        }
    )


def plan_workbook(analysis: Analysis, *, min_group_size: int, compared: Analysis | None = None) -> bytes:
    """The plan as an .xlsx: summary, design, placements with reasons, class lists, classes, equity."""
    from natbacc.export import _Writer

    buf = io.BytesIO()
    book = new_workbook(buf, {"title": "natbacc options plan", "subject": "Option blocks and placements"})
    w = _Writer(book)
    ws = book.add_worksheet("Summary")
    ws.set_column(0, 0, 110)
    ws.write_string(0, 0, "natbacc: option blocks and who they narrow", w.title)
    row = 2
    for line in analysis.summary():
        w.cell(ws, row, 0, line)
        row += 1
    if compared is not None:
        row += 1
        ws.write_string(row, 0, "The school's design, for comparison", w.bold)
        row += 1
        for line in compared.summary():
            w.cell(ws, row, 0, line)
            row += 1
    row += 1
    ws.write_string(
        row,
        0,
        f"Equity figures are left blank for a group (or the pupils it is compared with) of fewer than "
        f"{min_group_size} pupils (small-number suppression).",
        w.note,
    )
    sheets = {
        "Design": design_table(analysis),
        "Placements": placements_table(analysis),
        "Class lists": class_lists(analysis),
        "Classes": classes_table(analysis),
        "Equity": equity_table(analysis),
    }
    if compared is not None:
        sheets["School design"] = design_table(compared)
        sheets["School placements"] = placements_table(compared)
    for name, frame in sheets.items():
        w.table(book.add_worksheet(name), frame, widths={"Why": 70, "Choices": 45, "Blocks": 60})
    book.close()
    return buf.getvalue()
