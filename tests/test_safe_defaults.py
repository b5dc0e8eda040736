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


def _flattened(config: dict) -> dict:
    return {f"{section}.{name}": value for section, options in config.items() for name, value in options.items()}


def test_natbacc_serve_applies_the_same_safe_defaults():
    """`natbacc serve` (an installed package, no .streamlit folder) passes exactly these settings as options."""
    from natbacc.serve import SAFE_OPTIONS, streamlit_command

    assert _flattened(CONFIG) == SAFE_OPTIONS, "keep .streamlit/config.toml and natbacc.serve.SAFE_OPTIONS equal"
    command = streamlit_command(port=8765)
    flags = dict(zip(command[5::2], command[6::2], strict=True))
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("app.py")
    for name, value in SAFE_OPTIONS.items():
        assert flags[f"--{name}"] == (str(value).lower() if isinstance(value, bool) else str(value))
    assert flags["--server.address"] == "127.0.0.1" and flags["--server.port"] == "8765"
    assert SAFE_OPTIONS["server.maxUploadSize"] == DEFAULT_MAX_FILE_MB


def test_every_safe_option_is_one_streamlit_knows():
    """A misspelt option would be ignored by Streamlit (or stop it starting): each name is a real option."""
    from streamlit import config  # noqa: TID251 (a test reading Streamlit's option names, not the core)

    from natbacc.serve import SAFE_OPTIONS

    unknown = [name for name in SAFE_OPTIONS if name not in config._config_options_template]
    assert not unknown
