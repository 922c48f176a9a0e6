"""The retrieval service: ingest, chunk with offsets, Chroma + BM25, hybrid search."""
