"""Pieces several pages share: page header, charts, tables, the sidebar's cohort controls."""
