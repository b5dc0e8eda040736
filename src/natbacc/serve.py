"""``natbacc serve``: the dashboard from the installed package, with the safe server settings.

The settings are the single source of truth for a served dashboard holding pupil data. ``natbacc serve``
passes them to Streamlit as command-line options (which win over any config file, and an empty folder has
none); the repository's ``.streamlit/config.toml`` (used by ``make run``) says the same, and a test keeps
the two equal. This module does not import Streamlit: it starts it in a child process.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import TextIO

#: The script Streamlit runs: two lines handing each run to ``natbacc.ui.router.main``.
APP_SCRIPT = Path(__file__).resolve().parent / "ui" / "entry" / "app.py"
DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501

#: Safe defaults for a dashboard holding pupil data, as Streamlit option names.
SAFE_OPTIONS: dict[str, str | int | bool] = {
    # Tracebacks could echo pupil data to the browser.
    "client.showErrorDetails": "type",
    "client.toolbarMode": "minimal",
    # Tables' own CSV download and copy do not neutralise formulas (a pupil named "=HYPERLINK(...)" would run
    # in Excel); every export goes through natbacc's formula-safe workbook and CSV instead (SECURITY.md).
    "client.disableDataExport": True,
    "server.headless": True,
    # Localhost only unless deployed behind a proxy with sign-in.
    "server.address": DEFAULT_ADDRESS,
    # MB; MIS exports are KB to a few MB. Equal to the importer's own limit (natbacc.io.guards).
    "server.maxUploadSize": 50,
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.fileWatcherType": "none",
    "browser.gatherUsageStats": False,
    "runner.enforceSerializableSessionState": True,
    "theme.base": "light",
    # Captions are drawn at 60% of the text colour: this one keeps them at WCAG AA's 4.5:1 contrast (Streamlit's
    # default gave 3.9:1); the darker accent keeps its text readable on its own pale tint.
    "theme.textColor": "#111111",
    "theme.primaryColor": "#B02A37",
}


def _flag_value(value: str | int | bool) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def streamlit_command(port: int = DEFAULT_PORT, address: str = DEFAULT_ADDRESS) -> list[str]:
    """The command that serves the packaged dashboard with the safe options (address and port as given)."""
    options = {**SAFE_OPTIONS, "server.address": address, "server.port": port}
    flags = [part for name, value in options.items() for part in (f"--{name}", _flag_value(value))]
    return [sys.executable, "-m", "streamlit", "run", str(APP_SCRIPT), *flags]


def url(port: int = DEFAULT_PORT, address: str = DEFAULT_ADDRESS) -> str:
    """Where a browser on this machine opens the dashboard."""
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}"


def serve(port: int = DEFAULT_PORT, address: str = DEFAULT_ADDRESS, out: TextIO | None = None) -> int:
    """Run the dashboard until it stops or Ctrl-C; returns Streamlit's exit code (0 after Ctrl-C)."""
    out = out or sys.stdout
    print(f"natbacc: the dashboard is at {url(port, address)} (Ctrl-C stops it)", file=out, flush=True)
    proc = subprocess.Popen(streamlit_command(port, address))
    # A service manager stops natbacc with SIGTERM: stop Streamlit with it rather than leave it running.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        # A terminal's Ctrl-C reaches Streamlit too; a signal sent to natbacc alone is passed on. Streamlit
        # treats either as "stop": it closes its sessions and exits.
        if proc.poll() is None and sys.platform == "win32":
            proc.terminate()
        elif proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        print("natbacc: the dashboard has stopped.", file=out, flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
