"""Storage adapters: Chroma (vectors and documents) and the BM25 index."""
