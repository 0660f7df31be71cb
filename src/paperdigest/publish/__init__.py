"""Publish: the atomic, incremental site writer, its manifest, and the search index."""
