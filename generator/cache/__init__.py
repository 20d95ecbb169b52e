"""Stage 3, cache: one sealed store, every cache key, and the catalogue built through the caches.

May import: ``cases``, ``figures`` and the top-level modules.
"""
