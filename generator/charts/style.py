"""The charts' look: font, colours (each at least 3:1 against white where it draws data), sizes."""

from __future__ import annotations

from typing import Any

Row = dict[str, Any]
Spec = dict[str, Any]

# Arial and Liberation Sans share their metrics, so labels that vl-convert measures with
# Liberation Sans fit the same way in a reader's browser, which finds Arial or Helvetica.
CHART_FONT = "Arial, Helvetica, 'Liberation Sans', 'Nimbus Sans', sans-serif"

# Every colour that draws data is at least 3:1 against white (tests check it).
INK = "#1a1a1a"
MUTED = "#595959"
CELL = "#f7f7f7"
GRID = "#d9d9d9"
BLUE = "#0072B2"  # Okabe-Ito blue
VERMILLION = "#D55E00"  # Okabe-Ito vermillion
GREY = "#6E6E6E"
TARGET = "#4D4D4D"
DARK_BLUE = "#1B4F8A"
# Strength shades circles that DARK_BLUE outlines, so the light end needs no contrast.
STRENGTH_SHADES = ("#9ECAE1", "#08306B")

# The widths a chart is drawn for, padding included, so that its text is never shown smaller
# than drawn (measured in Chromium): a 375 px phone leaves 327 px for a drawing; from 60em
# (960 px) on, the narrowest column leaves 912 px. A chart that fits NARROW is drawn once; one
# that cannot is drawn twice, and the page shows the wide drawing from WIDE_FROM on.
NARROW = 327
WIDE = 900
WIDE_FROM = "60em"
PADDING = 8
FONT_SIZE = 12  # labels; 11 is the smallest text drawn
PLOT_WIDTH = 255  # the case chart's plot: with its y labels and padding, NARROW at most
PANEL_HEIGHT = 110
TITLE_CHARACTERS = 70

POINT_KINDS = ("Baseline", "Result", "Comparison baseline", "Comparison result")
PARTICIPANTS = "Participants"
COMPARISON = "Comparison group"
PERIOD_FILL = "#ececec"
RATINGS = ("Not met", "Partly met", "Mostly met", "Fully met", "Unknown")
RATING_COLOURS = ("#5E8FC4", "#3D7DBF", "#2166AC", "#08306B", GREY)
KIND_TITLES = {"Design": "Evaluation design", "Method": "Methods", "Evaluator": "Evaluator"}
