"""natbacc dashboard, run from the installed package: the script ``natbacc serve`` gives Streamlit.

It sits alone in its folder because Streamlit puts the script's folder first on ``sys.path`` and treats
a ``pages/`` folder beside it as pages of its own: here neither can shadow anything. The repository's
``app.py`` is the same two lines.
"""

from natbacc.ui.router import main

main()
