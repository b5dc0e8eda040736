"""The dashboard entry point starts on the sample school (AppTest, no browser)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def test_app_starts_on_the_sample_school():
    """It runs without an exception and shows the sample school's headline figures and findings."""
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "sample school" in at.info[0].value
    assert at.metric[0].value == "1,320"
    assert any("8C has no music" in m.value for m in at.markdown)
