"""AppTest fixtures: the dashboard run headless, one fresh session per test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from natbacc.ui.components.safe import WORD_JOINER

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGES = "src/natbacc/ui/pages"


@pytest.fixture(autouse=True)
def store_url(tmp_path, monkeypatch) -> str:
    """Each test starts with an empty store of its own (a reload test reopens the same one)."""
    url = f"sqlite:///{tmp_path / 'natbacc.db'}"
    monkeypatch.setenv("NATBACC_DATABASE_URL", url)
    return url


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Tests share one process; cached data must not leak from one test's session into the next."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture
def app() -> AppTest:
    """The dashboard after its first run (sample school, Overview page)."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def goto(at: AppTest, page: str) -> AppTest:
    """Open a page by its script name ("ks3") and run it."""
    at.switch_page(f"{PAGES}/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def shown(source: str) -> str:
    """Markdown source as a reader sees it: data escaped by ``safe.md`` loses its backslashes and word joiners."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source).replace(WORD_JOINER, "")


def texts(at: AppTest) -> str:
    """Everything the page wrote as markdown, captions, alerts and titles, as one string (as shown)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error"):
        parts += [shown(str(e.value)) for e in getattr(at, kind)]
    return "\n".join(parts)


def metric(at: AppTest, label: str) -> str:
    """The value of the metric with ``label``."""
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric '{label}' among {[m.label for m in at.metric]}"
    return found[0]
