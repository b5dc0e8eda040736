"""The page every natbacc PDF is laid out on: A4 portrait with the margins a school printer leaves.

The governors' report (``natbacc.governors_pdf``) and the award's certificates and transcripts
(``natbacc.award.documents``) share it, so a school's PDFs print alike.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

#: Keyword arguments for reportlab's document templates (``SimpleDocTemplate``, ``BaseDocTemplate``).
PAGE: dict[str, Any] = {
    "pagesize": A4,
    "leftMargin": 18 * mm,
    "rightMargin": 18 * mm,
    "topMargin": 16 * mm,
    "bottomMargin": 18 * mm,
}
