"""One safe way to start an xlsxwriter workbook, shared by the export and the sample generator."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xlsxwriter import Workbook


def new_workbook(buf: io.BytesIO, properties: dict[str, object]) -> Workbook:
    """An in-memory workbook that writes text as text: never a formula, URL or number by guesswork."""
    import xlsxwriter  # deferred: the CLI's start-up path stays light

    book = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": False,
        },
    )
    book.set_properties(properties)
    return book
