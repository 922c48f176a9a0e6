"""Benchmarks and the shared retrieval-quality helpers (not part of the installed package)."""
