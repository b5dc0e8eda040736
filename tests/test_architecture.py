"""The pure core never imports Streamlit (the ruff banned-api rule enforces it statically too), and its
modules import each other in one direction: no cycles, the importer above the model it fills.

Alembic migration scripts are skipped: they only run inside Alembic, on a store being opened.
"""

import ast
import subprocess
import sys
from pathlib import Path


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


# ---- The import graph, read from the source (every import, including those inside functions) -------------

SRC = Path(__file__).resolve().parents[1] / "src"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted((SRC / "natbacc").rglob("*.py"))}


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """The natbacc modules ``name`` imports, at module level or inside functions."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            # "from natbacc.io import values" names a module; "from natbacc.io import import_files" does not.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        found |= {t for t in targets if t in MODULES and t != name}
    return found


GRAPH = {name: _imports(name) for name in MODULES}


def _reaches(start: str, goal: str) -> bool:
    seen, todo = set(), list(GRAPH[start])
    while todo:
        current = todo.pop()
        if current == goal:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(GRAPH[current])
    return False


def test_no_circular_imports_among_natbacc_modules():
    cycles = sorted(name for name in GRAPH if _reaches(name, name))
    assert not cycles, f"modules on an import cycle: {cycles}"


def test_io_package_only_re_exports():
    """Importing any io module must not run (or define) the pipeline: ``natbacc.io`` holds imports only."""
    tree = ast.parse(MODULES["natbacc.io"].read_text(encoding="utf-8"))
    kinds = {type(node).__name__ for node in tree.body}
    assert kinds <= {"Expr", "ImportFrom", "Import", "Assign"}, kinds  # docstring, re-exports, __all__
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    assigned = [t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets]
    assert assigned == ["__all__"]


def _io_importers(name: str) -> set[str]:
    return {m for m in GRAPH[name] if m == "natbacc.io" or m.startswith("natbacc.io.")}


def test_lower_modules_import_nothing_from_io():
    """The model, the vocabulary and the subject mapping sit below the importer."""
    for name in ("natbacc.subjects", "natbacc.model", "natbacc.vocabulary", "natbacc.distinct"):
        assert not _io_importers(name), f"{name} imports {_io_importers(name)}"


def test_scoring_does_not_depend_on_the_intake_package():
    for name in ("natbacc.analysis", "natbacc.scoring", "natbacc.indicators", "natbacc.breadth"):
        assert not _reaches_io(name), f"{name} reaches natbacc.io"


def _reaches_io(start: str) -> bool:
    return any(_reaches(start, m) for m in MODULES if m == "natbacc.io" or m.startswith("natbacc.io."))


def test_import_result_comes_from_the_model():
    """The store and the export take ``ImportResult`` from the model, not from the intake package."""
    for name in ("natbacc.store.snapshots", "natbacc.export"):
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        sources = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and any(a.name == "ImportResult" for a in node.names)
        }
        assert sources <= {"natbacc.model"}, f"{name} imports ImportResult from {sources}"
        assert not _io_importers(name), f"{name} imports {_io_importers(name)}"
