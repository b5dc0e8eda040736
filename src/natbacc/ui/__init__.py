"""The Streamlit dashboard: a thin layer over the pure core.

``app.py`` is the router; ``pages/`` holds one script per page; ``components/`` the pieces pages
share; ``state`` owns every session-state key; ``data`` loads, scores and filters through cached
calls to the core. Nothing here parses, scores or computes an indicator.
"""
