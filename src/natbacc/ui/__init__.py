"""The Streamlit dashboard: a thin layer over the pure core.

``router`` is the router (run by the repository's ``app.py`` and by ``entry/app.py``, the script
``natbacc serve`` starts); ``pages/`` holds one script per page; ``components/`` the pieces pages
share; ``state`` owns every session-state key; ``data`` loads, scores and filters through cached
calls to the core. Nothing here parses, scores or computes an indicator.
"""
