"""The shipped Streamlit configuration is the safe one: a dashboard of pupil data is private by default."""

from __future__ import annotations

import tomllib

from natbacc.io.guards import DEFAULT_MAX_FILE_MB
from tests.conftest import REPO

CONFIG = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_dashboard_listens_on_localhost_only_unless_deployed():
    """`make run` is reachable from this machine only; a deployment puts a proxy with sign-in in front."""
    assert CONFIG["server"]["address"] == "127.0.0.1"


def test_uploads_need_the_xsrf_cookie_and_share_the_importers_size_limit():
    """XSRF protection is on, and Streamlit refuses uploads at the same size the importer would."""
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["maxUploadSize"] == DEFAULT_MAX_FILE_MB


def test_nothing_leaves_the_server_and_errors_show_no_data():
    """No telemetry; an error shows at most its type; tables cannot be copied out unescaped."""
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["client"]["showErrorDetails"] in {"type", "none"}
    assert CONFIG["client"]["disableDataExport"] is True
