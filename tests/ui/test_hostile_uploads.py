"""Hostile files uploaded in the dashboard: every one named in a clear error, the session still usable."""

from __future__ import annotations

import time

from tests.helpers import csv_bytes
from tests.hostile import PLAIN_PUPILS, hostile_corpus
from tests.ui.conftest import goto, texts
from tests.ui.test_pages import SMALL_SCHOOL


def test_hostile_uploads_are_refused_by_name_and_the_app_stays_up(app):
    """The whole corpus at once: no exception, each file listed with its error, then a good upload works."""
    corpus = hostile_corpus()
    uploads = [(h.name, h.data, "application/octet-stream") for h in corpus]
    uploads.append(("pupils.csv", csv_bytes(PLAIN_PUPILS), "text/csv"))
    goto(app, "import_data")
    started = time.perf_counter()
    app.file_uploader(key="uploader_0").set_value(uploads).run()
    took = time.perf_counter() - started

    assert not app.exception, [e.message for e in app.exception]
    assert "cannot be scored yet" in app.error[0].value
    [issues] = [d.value for d in app.dataframe if "severity" in d.value.columns]
    errors = issues[issues["severity"].str.contains("Error")]
    assert set(errors["file"]) == {h.name for h in corpus}
    assert "Traceback" not in texts(app)
    assert took < 30

    goto(app, "overview")
    assert "could not be scored" in texts(app)

    goto(app, "import_data")
    app.file_uploader(key="uploader_0").set_value(SMALL_SCHOOL).run()
    assert not app.exception
    assert "Imported" in app.success[0].value
