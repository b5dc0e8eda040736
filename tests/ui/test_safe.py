"""The one escaping helper for data shown through Streamlit's Markdown: what it writes, and what is shown.

The browser test (tests/e2e/test_hostile_text.py) checks the same strings in a real browser: no
image, link, LaTeX or colour, and the text shown as written.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from natbacc.ui.components.safe import WORD_JOINER, md

WJ = WORD_JOINER

#: hostile data -> the Markdown source md() writes for it.
CASES = [
    ("![x](http://evil.invalid/p.png)", rf"\!\[x\]\(http\:{WJ}\/\/evil\.invalid\/p\.png\)"),
    ("[name](http://evil.invalid/login)", rf"\[name\]\(http\:{WJ}\/\/evil\.invalid\/login\)"),
    ("http://evil.invalid/x", rf"http\:{WJ}\/\/evil\.invalid\/x"),
    ("https://evil.invalid", rf"https\:{WJ}\/\/evil\.invalid"),
    ("www.evil.invalid", rf"www{WJ}\.evil\.invalid"),
    ("WWW.Evil.invalid", rf"WWW{WJ}\.Evil\.invalid"),
    ("x@evil.invalid", rf"x{WJ}\@evil\.invalid"),
    (":red[red]", rf"\:{WJ}red\[red\]"),
    (":material/home:", rf"\:{WJ}material\/home\:"),
    (":smile: :smile:x", rf"\:{WJ}smile\: \:{WJ}smile\:{WJ}x"),
    ("Year 10: 240 pupils", r"Year 10\: 240 pupils"),
    ("$$x^2$$", r"\$\$x\^2\$\$"),
    ("$x$", r"\$x\$"),
    ("<img src=http://evil.invalid/i.png>", rf"\<img src\=http\:{WJ}\/\/evil\.invalid\/i\.png\>"),
    ("<script>alert(1)</script>", r"\<script\>alert\(1\)\<\/script\>"),
    ("**bold** _it_ ~~s~~", r"\*\*bold\*\* \_it\_ \~\~s\~\~"),
    ("# heading", r"\# heading"),
    ("1. list", r"1\. list"),
    ("- item", r"\- item"),
    ("> quote", r"\> quote"),
    ("| a | b |", r"\| a \| b \|"),
    ("`code`", r"\`code\`"),
    ("&amp;", r"\&amp\;"),
    ("back\\slash", r"back\\slash"),
    ("a -> b", f"a \\-{WJ}\\> b"),
    ("two\nlines\r\n# here", r"two lines \# here"),
    ("Zoë O'Brien-Ó Súilleabháin", r"Zoë O\'Brien\-Ó Súilleabháin"),
    ("", ""),
    (None, ""),
    (42, "42"),
]


@pytest.mark.parametrize(("data", "escaped"), CASES)
def test_md_escapes_every_markdown_construct(data, escaped):
    """Each hostile string gets a backslash before every ASCII punctuation mark and a word joiner
    where Streamlit rewrites text after parsing (auto-links, shortcodes, arrows)."""
    assert md(data) == escaped


def test_md_is_readable_text():
    """Take away the escapes and the word joiners and the original text is back, character for character."""
    import re

    for data, _ in CASES[:-3]:
        shown = re.sub(r"\\(.)", r"\1", md(data)).replace(WJ, "")
        assert shown == " ".join(data.splitlines()).replace("\r", "")


def _page(strings: list[str]) -> None:  # runs inside AppTest: imports are its own
    import streamlit as st

    from natbacc.ui.components.safe import md

    for s in strings:
        st.markdown(md(s))
        st.caption(md(s))
    st.header(md(strings[0]))
    st.expander(md(strings[1]))
    st.radio(md(strings[2]), [md(s) for s in strings])


def test_streamlit_receives_the_escaped_source():
    """What Streamlit is sent is the escaped source, for body text, captions, headings, labels and options."""
    strings = [data for data, _ in CASES[:-3]]
    at = AppTest.from_function(_page, args=(strings,), default_timeout=30)
    at.run()
    assert not at.exception
    assert [m.value for m in at.markdown] == [md(s) for s in strings]
    assert [c.value for c in at.caption] == [md(s) for s in strings]
    assert at.header[0].value == md(strings[0])
    assert at.expander[0].label == md(strings[1])
    assert at.radio[0].label == md(strings[2])
    assert at.radio[0].options == [md(s) for s in strings]
