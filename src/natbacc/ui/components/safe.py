"""The one way data-derived text reaches a Markdown-rendering Streamlit element: ``md(value)``.

Why: Streamlit renders Markdown (react-markdown with remark-gfm, remark-math, directives, emoji and
icon shortcodes) in ``st.markdown``, ``st.caption``, ``st.title``/``header``/``subheader``, the alert
boxes, ``st.status``, metric labels, and in *widget labels*: buttons, checkboxes, expanders, tabs,
the labels of every input, and the options of ``st.radio`` and ``st.segmented_control``. Pupil names,
tutor groups, schools, subjects, project titles, supervisors, Personal Development activities, term
labels and file names are written by whoever made the upload or saved the term, so rendered as they
are, ``![x](http://evil.invalid/p.png)`` makes every viewer's browser fetch an outside image with no
click, ``[name](http://...)`` becomes a link, a bare ``http://`` or ``www.`` address is auto-linked,
and ``:red[...]``, ``$x$`` and ``:material/home:`` are drawn as colour, LaTeX and icons.

What ``md`` does, so that the text shows exactly as written:

- every ASCII punctuation character gets a Markdown backslash escape (CommonMark allows one before
  any of them), which stops links, images, emphasis, headings, lists, tables, code, HTML, LaTeX
  (``$``) and directives (``:red[...]``) at the parser;
- some of Streamlit's rewrites run on the text *after* escapes are resolved, so a backslash cannot stop
  them. A WORD JOINER (U+2060, invisible and unbreakable) goes where their patterns need two characters
  side by side: after a ``:`` with no space after it (emoji ``:smile:``, icons ``:material/home:``,
  ``:streamlit:``, ``http://`` / ``https://`` auto-links), between ``www`` and ``.`` (``www.`` auto-links), before
  ``@`` (e-mail auto-links) and inside the typographic arrows (`` -> `` becomes → otherwise);
- line breaks become spaces (a data value is one line; a break would start a new Markdown block).

Limits: the word joiners stay in the text, so copying a shown address gives it with an invisible
character in it; a widget's accessible name (aria-label) carries the backslashes. Do not use ``md``
for ``st.selectbox`` / ``st.multiselect`` options or table cells: Streamlit shows those as plain
text, so the escapes would be visible (they are safe as they are).
"""

from __future__ import annotations

import re
import string

#: WORD JOINER: invisible, zero width, no line break; breaks a pattern without changing what is read.
WORD_JOINER = "\u2060"
_PUNCTUATION = frozenset(string.punctuation)
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
_WWW = re.compile(r"(www)(?=\.)", re.IGNORECASE)
#: Streamlit turns these into arrows and symbols when they stand between spaces.
_TYPOGRAPHY = re.compile(r"(?<!\S)(?:<->|->|<-|--|>=|<=|~=)(?!\S)")


def md(value: object) -> str:
    """``value`` as Markdown source that Streamlit shows as the literal text (see the module docstring).

    ``None`` becomes an empty string; anything else is ``str()``-ed first.
    """
    if value is None:
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _WWW.sub(lambda m: m[1] + WORD_JOINER, text)
    text = _TYPOGRAPHY.sub(lambda m: m[0][0] + WORD_JOINER + m[0][1:], text)
    out = []
    for ch, after in zip(text, text[1:] + " ", strict=False):  # the last character has a space after it
        if ch == ":":
            # a colon before a space (prose: "pupils: Year 10") starts none of those patterns
            out.append("\\:" if after.isspace() else "\\:" + WORD_JOINER)
        elif ch == "@":
            out.append(WORD_JOINER + "\\@")
        elif ch in _PUNCTUATION:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)
