"""The dashboard on a store it cannot use: no exception box anywhere, uploads still work, and it says why."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import APP, goto, texts
from .test_pages import SMALL_SCHOOL


@pytest.fixture
def not_a_database(tmp_path, monkeypatch) -> str:
    path = tmp_path / "natbacc.db"
    path.write_bytes(b"Adno,Name\n1,Ann\n" * 200)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("NATBACC_DATABASE_URL", url)
    return url


def test_every_page_works_on_uploads_and_says_why_nothing_can_be_kept(not_a_database):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    for page in ("overview", "ks3", "ks4", "equity", "students", "project_development", "settings", "export"):
        goto(at, page)
    goto(at, "trends")
    assert "The store is not available" in texts(at) and "is not a natbacc store" in texts(at)
    goto(at, "import_data")
    at.file_uploader(key="uploader_0").set_value(SMALL_SCHOOL).run()
    assert not at.exception, [e.message for e in at.exception]
    shown = texts(at)
    assert "Imported 3 pupils" in shown
    assert "This import cannot be kept" in shown and "is not a natbacc store" in shown
