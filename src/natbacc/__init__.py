"""natbacc: curriculum breadth tracker for English secondary schools, aligned to the NBfE.

The package is a pure core (``natbacc.io`` -> ``natbacc.model`` -> ``natbacc.scoring`` ->
``natbacc.export``, plus figure builders) that never imports Streamlit, and a thin dashboard in
``natbacc.ui``. The CLI (``natbacc``) and the dashboard call the same core functions.
"""

__version__ = "0.1.0"
