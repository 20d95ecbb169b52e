"""Stage 7, contribute: a new case file, issue intake and the follow-up report, for authors and CI.

May import: every earlier stage and the top-level modules.
"""
