"""Read an options season: pupils' ranked choices (with reserves) and, optionally, the school's block design.

Choices are read by the ordinary importer (``natbacc.io.import_files``): the same header aliases,
pupil-ID checks, row-by-row messages and subject mapping as a timetable, so every choice has an area.
Wide sheets (``Choice 1..n``, ``Option 1..n``, ``First choice``...) give the rank by column; long sheets
(pupil, subject, rank) by their rank column. The importer counts reserves as nothing (they are not
options a pupil takes), so the reserve columns of the same sheets are read here, from the rows the
importer accepted. A long sheet marks a reserve with a rank such as ``R1`` or ``Reserve``.

A block design is one column per block (``Block A``, ``Option B``...) listing the classes it offers: a
subject twice in a block is two classes; ``Art (25)`` gives a class size. A long design (``Block``,
``Subject`` and optionally ``Class size`` columns) is read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from natbacc.io import import_files
from natbacc.io.build import build_sheet, recognise
from natbacc.io.header import find_header, load_aliases
from natbacc.io.issues import where
from natbacc.io.read import UnreadableFile, read_grids
from natbacc.io.rules import ImportRules
from natbacc.io.source import Grid, Source
from natbacc.model import UNMAPPED, Issue, plural
from natbacc.options.instance import Design, Season, Subject
from natbacc.settings import Settings
from natbacc.subjects import SubjectMap
from natbacc.vocabulary import IssueCode

_RESERVE_RANK = re.compile(r"^\s*(?:R|RES|RESERVE|BACKUP)\s*(\d{0,2})\s*$", re.IGNORECASE)
_SIZED = re.compile(r"^(?P<subject>.*?)\s*(?:[\(\[]\s*(?P<a>\d{1,3})\s*[\)\]]|[:=]\s*(?P<b>\d{1,3}))\s*$")


def _as_source(item: Source | str | Path) -> Source:
    return item if isinstance(item, Source) else Source.from_path(item)


def subject_key(subject: str, area: str, label: str) -> str:
    """One subject, however it is spelt: the canonical subject when the mapping knows it, else the label."""
    return subject if area != UNMAPPED and subject else " ".join(label.split()).casefold()


def read_choices(
    items: Iterable[Source | str | Path],
    *,
    settings: Settings | None = None,
    subject_map: SubjectMap | None = None,
) -> tuple[Season | None, list[Issue]]:
    """The season in ``items`` (choices files, optionally pupil details for PP/SEN/EAL), and what was found.

    Returns ``None`` for the season when no file holds option choices (the issues say why).
    """
    sources = [_as_source(i) for i in items]
    settings = settings or Settings.default()
    subject_map = subject_map or SubjectMap.default()
    result = import_files(sources, settings=settings, subject_map=subject_map)
    # Reserves are read here; a choices file needs no year group (the season is one year's choices).
    issues = [i for i in result.issues if i.code not in (IssueCode.RESERVE_IGNORED, IssueCode.NO_YEAR)]
    options = result.tables["options"]
    if options.empty:
        issues.append(
            Issue(
                "error",
                "No option choices were found. Give a file with one row per pupil and columns such as 'Adno', "
                "'Choice 1', 'Choice 2', 'Reserve 1' (or 'Adno', 'Subject', 'Rank').",
                code=IssueCode.NO_CHOICES,
            )
        )
        return None, issues
    rules = ImportRules.from_settings(settings)
    reserves = _reserve_rows(sources, rules)
    long = options[["student_id", "subject_label", "subject", "area"]].copy()
    ranks = options["block"].astype("str").str.strip()
    reserve_rank = ranks.str.extract(_RESERVE_RANK)[0]
    long["reserve"] = reserve_rank.notna().to_numpy()
    long["rank"] = _ranks(ranks.where(reserve_rank.isna(), reserve_rank.fillna("").replace("", "1")))
    if not reserves.empty:
        mapped = subject_map.map_labels(reserves["subject_label"])
        reserves = pd.concat([reserves, mapped], axis=1)
        long = pd.concat([long, reserves[long.columns]], ignore_index=True)
    long["key"] = [
        subject_key(s, a, lab) for s, a, lab in zip(long["subject"], long["area"], long["subject_label"], strict=True)
    ]
    long = long.sort_values(["student_id", "reserve", "rank"], kind="stable")
    repeated = long.duplicated(["student_id", "key"], keep="first")
    if repeated.any():
        issues.append(
            Issue(
                "info",
                f"{plural(int(long.loc[repeated, 'student_id'].nunique()), 'pupil')} chose the same subject twice "
                "(or as a choice and a reserve); each subject is counted once, at its best rank.",
                code=IssueCode.CHOICE_REPEATED,
            )
        )
    long = long[~repeated]
    first_label = long.drop_duplicates("key")
    subjects = tuple(
        Subject(key, str(label), str(area), subject_map.entitlement_of(str(subject)) if area != UNMAPPED else "")
        for key, label, area, subject in zip(
            first_label["key"], first_label["subject_label"], first_label["area"], first_label["subject"], strict=True
        )
    )
    index = {s.key: i for i, s in enumerate(subjects)}
    choices = pd.DataFrame(
        {
            "student_id": long["student_id"].astype("str").to_numpy(),
            "subject": long["key"].map(index).astype("int64").to_numpy(),
            "rank": long["rank"].to_numpy(),
            "reserve": long["reserve"].astype(bool).to_numpy(),
        }
    )
    students = result.tables["students"].drop_duplicates("student_id").set_index("student_id")
    chose = pd.Index(choices["student_id"].unique())
    pupils = students.reindex(chose)[[c for c in ("name", "pupil_premium", "sen", "eal") if c in students]]
    return Season.build(subjects, pupils, choices), issues


def _ranks(ranks: pd.Series) -> pd.Series:
    """Choice rank as a number: 1, 2... as written; letters A, B... in order."""
    numeric = pd.to_numeric(ranks, errors="coerce")
    letters = ranks.str.upper().map(lambda t: ord(t) - 64 if len(t) == 1 and t.isalpha() else None)
    return numeric.fillna(pd.to_numeric(letters, errors="coerce")).fillna(99).astype("int64")


def _reserve_rows(sources: list[Source], rules: ImportRules) -> pd.DataFrame:
    """``student_id``, ``subject_label``, ``rank``, ``reserve`` of every reserve column of a wide choices sheet."""
    empties = load_aliases().empty_values
    parts = []
    for source in sources:
        try:
            grids, _ = read_grids(source)
        except UnreadableFile:
            continue  # the importer already said why
        for grid in grids:
            header = find_header(grid.cells) if len(grid.cells) else None
            if header is None or not header.reserve_columns or recognise(header) != "options":
                continue
            built = build_sheet(grid, header, "options", rules)
            if built.students.empty or built.keyed_by_upn:
                continue
            for rank, col in enumerate(header.reserve_columns, start=1):
                cells = grid.cells.loc[built.students.index, col].str.strip()
                keep = (cells != "") & ~cells.str.lower().isin(empties)
                parts.append(
                    pd.DataFrame(
                        {
                            "student_id": built.students.loc[keep, "student_id"],
                            "subject_label": cells[keep],
                            "rank": rank,
                            "reserve": True,
                        }
                    )
                )
    if not parts:
        return pd.DataFrame(columns=["student_id", "subject_label", "rank", "reserve"])
    return pd.concat(parts, ignore_index=True)


def read_design(
    item: Source | str | Path,
    season: Season,
    *,
    class_size: int,
    subject_map: SubjectMap | None = None,
) -> tuple[Design | None, list[Issue]]:
    """The school's block design, its subjects matched to the season's, and what was found."""
    source = _as_source(item)
    subject_map = subject_map or SubjectMap.default()
    try:
        grids, notes = read_grids(source)
    except UnreadableFile as exc:
        return None, [exc.issue]
    issues = list(notes)
    for grid in grids:
        columns = _design_columns(grid)
        if columns is None:
            continue
        design = _design_from(grid, columns, season, class_size, subject_map, issues)
        if design is not None:
            return design, issues
    issues.append(
        Issue(
            "error",
            f"'{source.name}' is not a block design natbacc can read. Give one column per block headed 'Block A', "
            "'Block B'... listing the subjects it offers (a subject twice is two classes; 'Art (25)' sets a class "
            "size), or columns 'Block' and 'Subject'.",
            file=source.name,
            code=IssueCode.DESIGN_NOT_RECOGNISED,
        )
    )
    return None, issues


def _design_columns(grid: Grid) -> tuple[int, list[tuple[str, list[tuple[int, str]]]]] | None:
    """(header row, [(block name, [(row, cell)...])...]) of a wide or long design sheet, or None."""
    header = find_header(grid.cells) if len(grid.cells) else None
    if header is None:
        return None
    body = grid.cells.iloc[header.row + 1 :]
    if len(header.option_columns) >= 2:
        return header.row, [
            (
                name,
                [
                    (i, str(v))
                    for i, v in zip(range(header.row + 1, len(grid.cells)), body[col], strict=True)
                    if str(v).strip()
                ],
            )
            for col, name in header.option_columns
        ]
    if "block" in header.fields and "subject" in header.fields:
        size_col = header.fields.get("class_size")
        blocks: dict[str, list[tuple[int, str]]] = {}
        sizes = body[size_col] if size_col is not None else pd.Series("", index=body.index)
        for r, block, subject, size in zip(
            range(header.row + 1, len(grid.cells)),
            body[header.fields["block"]].str.strip(),
            body[header.fields["subject"]].str.strip(),
            sizes.str.strip(),
            strict=True,
        ):
            if block and subject:
                blocks.setdefault(block.upper(), []).append((r, f"{subject} ({size})" if size else subject))
        return header.row, sorted(blocks.items())
    return None


def _design_from(
    grid: Grid,
    columns: tuple[int, list[tuple[str, list[tuple[int, str]]]]],
    season: Season,
    class_size: int,
    subject_map: SubjectMap,
    issues: list[Issue],
) -> Design | None:
    _, blocks_in = columns
    empties = load_aliases().empty_values
    index = {s.key: i for i, s in enumerate(season.subjects)}
    blocks: list[list[int]] = []
    sizes: list[list[int]] = []
    for name, cells in blocks_in:
        block: list[int] = []
        block_sizes: list[int] = []
        for row, text in cells:
            text = text.strip()
            if text.lower() in empties:
                continue
            size = class_size
            if (m := _SIZED.match(text)) is not None:
                text, size = m["subject"].strip(), int(m["a"] or m["b"])
            subject, area, _ = subject_map.resolve(text)
            key = subject_key(subject, area, text)
            if key not in index:
                issues.append(
                    Issue(
                        "warning",
                        f"'{text}' in block {name} is not among any pupil's choices, so nobody can be placed in it; "
                        "it is left out. Check its spelling matches the choices file.",
                        file=grid.file,
                        sheet=grid.sheet,
                        row=row + 1,
                        column=f"block {name}",
                        code=IssueCode.DESIGN_UNKNOWN_SUBJECT,
                    )
                )
                continue
            if size <= 0:
                issues.append(
                    Issue(
                        "warning",
                        f"Class size {size} for '{text}' in block {name} is not a class; the default "
                        f"{class_size} is used.",
                        file=grid.file,
                        sheet=grid.sheet,
                        row=row + 1,
                        column=f"block {name}",
                        code=IssueCode.DESIGN_BAD_SIZE,
                    )
                )
                size = class_size
            block.append(index[key])
            block_sizes.append(size)
        blocks.append(block)
        sizes.append(block_sizes)
    if not any(blocks):
        return None
    issues.append(
        Issue(
            "info",
            f"Read {where(grid.file, grid.sheet)} as a block design: {plural(len(blocks), 'block')}, "
            f"{plural(sum(map(len, blocks)), 'class', 'classes')}.",
            file=grid.file,
            sheet=grid.sheet,
            code=IssueCode.DESIGN_READ,
        )
    )
    return Design(tuple(map(tuple, blocks)), tuple(map(tuple, sizes)))
