"""Where the page scripts are, resolved inside the package (works from a checkout and an installed wheel)."""

from pathlib import Path

PAGES = Path(__file__).resolve().parent / "pages"
#: The Students page, which the drill-down opens on a pupil's profile.
STUDENTS_PAGE = str(PAGES / "students.py")
