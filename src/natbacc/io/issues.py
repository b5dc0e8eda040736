"""Collecting import issues with the file, sheet, row and column a user needs to fix them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from natbacc import vocabulary
from natbacc.model import Issue, Severity
from natbacc.vocabulary import IssueCode

#: Codes meaning a file (or one sheet) could not be read at all; kept with the codes in ``natbacc.vocabulary``.
READ_ERRORS = vocabulary.READ_ERRORS


def where(file: str, sheet: str | None) -> str:
    """A file, or a workbook's sheet, as messages name it: 'pupils.xlsx' sheet 'Year 10'."""
    return f"'{file}'" + (f" sheet '{sheet}'" if sheet else "")


class UnreadableFile(Exception):  # noqa: N818 (reads as a sentence: "except UnreadableFile")
    """The file cannot be read at all; ``issue`` says why and what to do."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def unreadable(
    name: str, message: str, code: IssueCode, *, sheet: str | None = None, row: int | None = None
) -> UnreadableFile:
    """The exception that refuses file ``name``, with the blocking error to show the user."""
    return UnreadableFile(Issue("error", message, file=name, sheet=sheet, row=row, code=code))


#: Per (problem, column) only this many rows are listed one by one; the rest are summarised, so a
#: bad column in a 30,000-row export gives a readable report rather than 30,000 lines.
MAX_ROWS_LISTED = 25


@dataclass
class IssueLog:
    """Issues for one file/sheet."""

    file: str
    sheet: str | None
    issues: list[Issue] = field(default_factory=list)
    #: Rows with a pupil ID; when every one of them has the same problem the file is refused.
    data_rows: int = 0

    def add(
        self,
        severity: Severity,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        code: IssueCode | str = "",
    ) -> None:
        """One issue."""
        self.issues.append(Issue(severity, message, self.file, self.sheet, row, column, code))

    def rows(
        self,
        mask: pd.Series,
        values: pd.Series | None,
        template: str,
        *,
        column: str | None,
        code: IssueCode,
        severity: Severity = "warning",
    ) -> int:
        """One issue per flagged row; ``template`` may use ``{value}``. Returns how many rows.

        When every data row is flagged the column cannot mean what its heading says (a year group
        of 42 for every pupil is the wrong column, not 300 typing slips), so a blocking error says so.
        """
        flagged = mask[mask].index
        if len(flagged) == 0:
            return 0
        if severity == "warning" and self.data_rows and len(flagged) >= self.data_rows:
            example = (
                "" if values is None else f" ('{str(values.at[flagged[0]]).strip()}' in row {int(flagged[0]) + 1})"
            )
            heading = f"'{column}'" if column else "one column"
            self.add(
                "error",
                f"Every row of {where(self.file, self.sheet)} has an unusable value in {heading}{example}. "
                f"Check that {heading} holds what its heading says, correct the export and upload it again.",
                row=int(flagged[0]) + 1,
                column=column,
                code=IssueCode.ALL_ROWS_INVALID,
            )
        for idx in flagged[:MAX_ROWS_LISTED]:
            value = "" if values is None else str(values.at[idx]).strip()
            self.add(severity, template.format(value=value), row=int(idx) + 1, column=column, code=code)
        rest = len(flagged) - MAX_ROWS_LISTED
        if rest > 0:
            first, last = int(flagged[MAX_ROWS_LISTED]) + 1, int(flagged[-1]) + 1
            self.add(
                severity,
                f"{rest:,} more rows have the same problem (rows {first:,} to {last:,}).",
                column=column,
                code=code,
            )
        return len(flagged)
