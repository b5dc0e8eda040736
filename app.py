"""natbacc dashboard, run from a checkout: ``make run`` (``streamlit run app.py``).

The app itself ships in the package (``natbacc.ui.router``), so an installed natbacc runs the same
dashboard with ``natbacc serve``; this file only hands each Streamlit run to it.
"""

from natbacc.ui.router import main

main()
