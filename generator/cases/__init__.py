"""Stage 1, cases: load a case file, check it against the schema and the rules, report problems.

May import: the top-level ``errors``, ``schema`` and ``vocabulary`` only.
"""
