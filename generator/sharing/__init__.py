"""Stage 5, sharing: the data downloads, the Atom feed, citations and schema.org metadata.

May import: ``cases``, ``figures``, ``cache``, ``charts`` and the top-level modules.
"""
