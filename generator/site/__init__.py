"""Stage 6, site: templating, the generated pages, preview, search, the field reference, the builder.

May import: every earlier stage (``cases`` to ``sharing``) and the top-level modules.
"""
