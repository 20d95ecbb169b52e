"""Stage 2, figures: derive changes, effects, intervals, evidence strength and follow-ups (pure).

May import: the top-level ``errors``, ``schema`` and ``vocabulary`` only; never rendering code.
"""
