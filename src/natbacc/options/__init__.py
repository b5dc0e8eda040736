"""Options season: see narrowing before option blocks are drawn, and design blocks that prevent it.

``read`` reads the choices and the school's design, ``solve`` designs blocks (or places pupils in a
given design) with CP-SAT, ``analyse`` turns a solution into each pupil's timetable, reasons and the
equity comparison, ``plan`` runs the whole thing for the CLI and the dashboard, and ``workbook`` writes it.
"""
