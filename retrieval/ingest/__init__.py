"""Ingest: loaders, chunking with exact offsets, source discovery, the idempotent pipeline."""
