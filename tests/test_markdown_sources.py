"""Static check: text given to a Markdown-rendering Streamlit call in app.py or natbacc.ui is either
written in the code, escaped with ``safe.md``, or a value reviewed as not coming from data.

Streamlit renders Markdown in ``st.markdown``, captions, headings, alerts, ``st.status``, metric
labels, help tooltips and every widget label, so an unescaped pupil name, school or term label there
can fetch an outside image or become a link (SECURITY.md, "Hostile text in pupil data"). The check
reads the code (``ast``): each value put into an f-string, and each bare variable, passed as the
text of such a call must be ``md(...)``, a formatted number, a count (``plural``, ``len``, ``int``,
``pct``) or listed in ``REVIEWED`` with the reason it is not data. Options of ``st.selectbox`` /
``st.multiselect`` and table cells are plain text and not checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Calls whose first argument (and label=/body=/help=) Streamlit renders as Markdown.
MARKDOWN_CALLS = {
    "markdown",
    "caption",
    "write",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "title",
    "header",
    "subheader",
    "metric",
    "expander",
    "popover",
    "tabs",
    "radio",
    "segmented_control",
    "pills",
    "selectbox",
    "multiselect",
    "button",
    "download_button",
    "form_submit_button",
    "page_link",
    "checkbox",
    "toggle",
    "text_input",
    "date_input",
    "file_uploader",
    "status",
}
#: Counts and numbers: never text from a file.
SAFE_CALLS = {"md", "plural", "len", "int", "pct"}
#: file: expression -> why it is not data. Anything new must be escaped with md() or reviewed here.
REVIEWED = {
    "src/natbacc/ui/pages/options.py: text": "counts of pupils placed and the solver's bound, in natbacc's words",
    "src/natbacc/ui/pages/options.py: shown[0][0]": "the name of a design: 'Your design' or 'natbacc's design'",
    "src/natbacc/ui/pages/options.py: name": "the name of a design: 'Your design' or 'natbacc's design'",
    "src/natbacc/ui/pages/options.py: minimum_group": "a number from the settings",
    "src/natbacc/ui/auth.py: problem": "the operator message from natbacc.access: natbacc's own words, no data",
    "src/natbacc/ui/auth.py: label": "a sign-in button's words, from the deployment's own secrets.toml",
    "src/natbacc/ui/components/layout.py: title": "page titles are written in the page scripts",
    "src/natbacc/ui/components/layout.py: intro": "page introductions are written in the page scripts",
    "src/natbacc/ui/components/layout.py: loaded.failure": "natbacc's own message with an exception's type name",
    "src/natbacc/ui/components/layout.py: label": "metric labels are written in the page scripts",
    "src/natbacc/ui/components/sidebar.py: len(names) - 4": "a count",
    "src/natbacc/ui/components/terms.py: what": "no_terms_yet's caller writes it",
    "src/natbacc/ui/data.py: what": "md() of the term's title, or a count of files",
    "src/natbacc/ui/pages/equity.py: threshold": "a number from the settings",
    "src/natbacc/ui/pages/equity.py: minimum": "a number from the settings",
    "src/natbacc/ui/pages/import_data.py: len(errors) - 8": "a count",
    "src/natbacc/ui/pages/overview.py: on": "a number from the settings",
    "src/natbacc/ui/pages/ks3.py: minimum": "a number from the settings",
    "src/natbacc/ui/pages/ks3.py: names": "tutor group names joined after md(), with counts",
    "src/natbacc/ui/pages/ks3.py: judged_groups": "natbacc's own words and a number from the settings",
    "src/natbacc/ui/pages/project_development.py: on": "a number from the settings",
    "src/natbacc/ui/pages/students.py: STATUS_LABELS[pupil['overall_status']]": "one of four fixed labels",
    "src/natbacc/ui/pages/trends.py: shown_terms": "term labels joined after md()",
    "src/natbacc/ui/components/layout.py: help_text": "metric help is written in the page scripts",
    "src/natbacc/ui/pages/import_data.py: loaded.failure": "natbacc's own message with an exception's type name",
    "src/natbacc/ui/pages/import_data.py: KIND_LABELS[kind]": "fixed names of the kinds of file",
    "src/natbacc/ui/pages/schools.py: [section.label for section in SECTIONS]": "fixed labels (vocabulary.Section)",
    "src/natbacc/ui/pages/trends.py: [section.label for section in SECTIONS]": "fixed labels (vocabulary.Section)",
    "src/natbacc/ui/pages/students.py: strand.label": "a strand's fixed label (vocabulary.Strand)",
    "src/natbacc/ui/pages/settings.py: list(SECTIONS)": "fixed section names, in the page",
    "src/natbacc/ui/store.py: type(exc).__name__": "an exception's type name",
    "src/natbacc/ui/pages/export.py: k": "a number from the settings (privacy.k_anonymity)",
    "src/natbacc/ui/pages/settings.py: ' · '.join(links)": "links to Sources entries: titles from docs/sources.md",
    "src/natbacc/ui/pages/sources.py: intro": "docs/sources.md, shipped in the package: natbacc's own text",
    "src/natbacc/ui/pages/sources.py: section": "docs/sources.md, shipped in the package: natbacc's own text",
    "src/natbacc/ui/pages/sources.py: entry.title": "docs/sources.md, shipped in the package: natbacc's own text",
    "src/natbacc/ui/pages/sources.py: entry.body": "docs/sources.md, shipped in the package: natbacc's own text",
    "src/natbacc/ui/pages/export.py: max(k, whole.settings.equity['min_group_size'])": "a number from the settings",
}


def _texts(call: ast.Call) -> list[ast.expr]:
    """The arguments of ``call`` that Streamlit renders as Markdown."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    if name == "set_notice":  # state.set_notice(kind, text): app.py shows it with st.<kind>(text)
        return call.args[1:2]
    if name == "update":  # st.status(...).update(label=...); dict.update has no label=
        return [k.value for k in call.keywords if k.arg == "label"]
    if name not in MARKDOWN_CALLS or not isinstance(call.func, ast.Attribute):
        return []
    if name == "page_link":  # the first argument is the page, the label is label=
        return [k.value for k in call.keywords if k.arg in ("label", "help")]
    return [*call.args[:1], *(k.value for k in call.keywords if k.arg in ("label", "body", "help"))]


def _unreviewed(expr: ast.expr) -> list[str]:
    """The data-like values in one Markdown argument that are not escaped."""
    if isinstance(expr, ast.Constant):
        return []
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in SAFE_CALLS:
        return []
    if isinstance(expr, ast.JoinedStr):
        found = []
        for value in expr.values:
            if isinstance(value, ast.FormattedValue) and value.format_spec is None:
                found += _unreviewed(value.value)
        return found
    if isinstance(expr, ast.BinOp):  # "text" + f"..." + "".join(...)
        return _unreviewed(expr.left) + _unreviewed(expr.right)
    if isinstance(expr, ast.IfExp):  # the condition is not shown, both branches may be
        return _unreviewed(expr.body) + _unreviewed(expr.orelse)
    if isinstance(expr, ast.List | ast.Tuple):  # st.tabs([...])
        return [e for item in expr.elts for e in _unreviewed(item)]
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "join"
        and isinstance(expr.args[0], ast.GeneratorExp)
    ):
        return _unreviewed(expr.args[0].elt)
    return [ast.unparse(expr)]


def find_unescaped(root: Path = REPO) -> list[str]:
    """``file:line: expression`` for each data-like value reaching Markdown without md() or a review."""
    found = []
    for path in [root / "app.py", *sorted((root / "src" / "natbacc" / "ui").rglob("*.py"))]:
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for arg in _texts(node):
                    found += [f"{rel}:{arg.lineno}: {e}" for e in _unreviewed(arg) if f"{rel}: {e}" not in REVIEWED]
    return found


def test_every_data_value_in_markdown_goes_through_md():
    """Nothing reaches Streamlit's Markdown unescaped unless it is reviewed as not coming from data."""
    assert find_unescaped() == []


def test_the_check_finds_an_unescaped_name(tmp_path):
    """The check itself: a pupil's name in a heading, in an f-string caption and in a label are found."""
    ui = tmp_path / "src" / "natbacc" / "ui"
    ui.mkdir(parents=True)
    (tmp_path / "app.py").write_text("import streamlit as st\n", encoding="utf-8")
    (ui / "page.py").write_text(
        "import streamlit as st\n"
        "st.header(pupil['name'] or pick)\n"
        "st.caption(f\"tutor group {pupil['reg_group']} · {md(school)}\")\n"
        "st.checkbox(f'Yes, delete {info.title}')\n"
        "st.markdown(md(pupil['name']))\n",
        encoding="utf-8",
    )
    assert find_unescaped(tmp_path) == [
        "src/natbacc/ui/page.py:2: pupil['name'] or pick",
        "src/natbacc/ui/page.py:3: pupil['reg_group']",
        "src/natbacc/ui/page.py:4: info.title",
    ]
