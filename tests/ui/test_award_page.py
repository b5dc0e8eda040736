"""The Award page on the sample school: every status, what is most often missing, the forecast list, a
pupil's verdicts with their rules, and the transcripts PDF for the pupils shown."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.ui.conftest import goto, metric, texts


def test_award_page_shows_every_status_and_builds_the_transcripts_for_the_filter(app):
    goto(app, "award")
    body = texts(app)
    assert "Pupils by tier and status" in body and "Most often missing" in body
    assert "Will miss the deadline at the current rate" in body
    # The sample school has pupils in every status (early completers in Year 13, Year 7 on course, ...).
    for label in ("Complete", "On course", "At risk", "Not on course"):
        assert int(metric(app, label).replace(",", "")) > 0, label
    assert metric(app, "Registered pupils") == "1,320"

    # Drill down to the complete pupils, open one, and download their certificate and transcript.
    app.multiselect[1].set_value(["complete"]).run()
    assert "4 pupils match." in texts(app)
    first = app.selectbox(key="award_pick").options[0]  # shown as "Name (ID)"
    app.selectbox(key="award_pick").select(first).run()
    shown = app.dataframe[-1].value
    assert list(shown["Component"]) == ["Core Learning", "Personal Project", "Personal Development"]
    assert set(shown["Status"]) == {"✓ done"}
    assert shown["Rule"].str.len().gt(10).all()
    app.button(key="award_prepare").click().run()
    assert not app.exception
    data = app.session_state["award_pdf"][1]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert text.count("This is to certify that") == 4
    assert "PROVISIONAL" not in text


def test_the_pupil_profile_has_an_award_section(app):
    """A pupil's profile says their programme, tier and status, and each component's verdict beside its rule."""
    goto(app, "students")
    first = app.selectbox(key="student_pick").options[0]
    app.selectbox(key="student_pick").select(first).run()
    assert not app.exception
    body = texts(app)
    assert "NBfE award" in body
    assert "National Baccalaureate (Years 7 to 11)" in body
    verdicts = next(d.value for d in app.dataframe if "Rule" in d.value.columns)
    assert list(verdicts["Component"]) == ["Core Learning", "Personal Project", "Personal Development"]
