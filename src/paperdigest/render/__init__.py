"""Render: templates, Markdown and the worker processes that turn records into files."""
