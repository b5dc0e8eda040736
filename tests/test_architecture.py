"""The pure core never imports Streamlit (the ruff banned-api rule enforces it statically too).

Alembic migration scripts are skipped: they only run inside Alembic, on a store being opened.
"""

import subprocess
import sys


def test_core_imports_without_streamlit():
    """It imports every core module without pulling Streamlit in."""
    code = (
        "import sys, importlib, pkgutil, natbacc\n"
        "for m in pkgutil.walk_packages(natbacc.__path__, 'natbacc.'):\n"
        "    if not m.name.startswith(('natbacc.ui', 'natbacc.__main__', 'natbacc.store.migrations')):\n"
        "        importlib.import_module(m.name)\n"
        "assert 'streamlit' not in sys.modules, 'streamlit imported by the core'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
