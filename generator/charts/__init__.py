"""Stage 4, charts: plan each chart from the figures, build its Altair spec, draw it as safe SVG.

May import: ``cases``, ``figures``, ``cache`` and the top-level modules.
"""
