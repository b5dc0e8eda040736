"""`natbacc serve` without starting a server: its command line and how it stops."""

from __future__ import annotations

import ast
import io
import signal
import subprocess

import pytest

from natbacc import serve
from natbacc.cli import build_parser


def test_serve_takes_a_port_and_an_address_and_defaults_to_localhost():
    args = build_parser().parse_args(["serve", "--port", "8600"])
    assert (args.port, args.address) == (8600, "127.0.0.1")
    args = build_parser().parse_args(["serve", "--address", "0.0.0.0"])
    assert (args.port, args.address) == (8501, "0.0.0.0")


def _code(path) -> list[str]:
    """The statements of a script, docstring left out."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return [
        ast.unparse(node) for node in body if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Constant)
    ]


def test_the_packaged_script_is_the_repositorys_app_py():
    """`natbacc serve` runs the same two lines `make run` runs, from a folder of its own inside the package."""
    from tests.conftest import REPO

    assert _code(serve.APP_SCRIPT) == _code(REPO / "app.py") == ["from natbacc.ui.router import main", "main()"]
    assert [p.name for p in serve.APP_SCRIPT.parent.iterdir() if p.name != "__pycache__"] == ["app.py"]


class _FakeStreamlit:
    """A Streamlit process that is interrupted while natbacc waits for it."""

    def __init__(self, command):
        self.command, self.signals, self.returncode = command, [], None

    def wait(self, timeout=None):
        if self.returncode is None and not self.signals:
            raise KeyboardInterrupt
        self.returncode = 0
        return 0

    def poll(self):
        return self.returncode

    def send_signal(self, sig):
        self.signals.append(sig)

    def terminate(self):
        self.signals.append(signal.SIGTERM)


def test_ctrl_c_stops_streamlit_and_exits_cleanly(monkeypatch):
    """It prints the URL, passes the interrupt on to Streamlit, waits for it and exits 0."""
    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda command: started.append(_FakeStreamlit(command)) or started[-1])
    out = io.StringIO()
    assert serve.serve(port=8600, out=out) == 0
    (proc,) = started
    assert proc.signals == [signal.SIGINT]
    assert "--server.port" in proc.command and "8600" in proc.command
    assert out.getvalue().splitlines() == [
        "natbacc: the dashboard is at http://127.0.0.1:8600 (Ctrl-C stops it)",
        "natbacc: the dashboard has stopped.",
    ]


@pytest.mark.parametrize(("address", "expected"), [("127.0.0.1", "http://127.0.0.1:80"), ("::1", "http://[::1]:80")])
def test_the_printed_url_is_one_a_browser_opens(address, expected):
    assert serve.url(80, address) == expected
