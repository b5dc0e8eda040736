"""Collecting import issues with the file, sheet, row and column a user needs to fix them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from natbacc.model import Issue, Severity

#: Per (problem, column) only this many rows are listed one by one; the rest are summarised, so a
#: bad column in a 30,000-row export gives a readable report rather than 30,000 lines.
MAX_ROWS_LISTED = 25


@dataclass
class IssueLog:
    """Issues for one file/sheet."""

    file: str
    sheet: str | None
    issues: list[Issue] = field(default_factory=list)

    def add(
        self,
        severity: Severity,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        code: str = "",
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
        code: str,
        severity: Severity = "warning",
    ) -> int:
        """One issue per flagged row; ``template`` may use ``{value}``. Returns how many rows."""
        flagged = mask[mask].index
        if len(flagged) == 0:
            return 0
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
