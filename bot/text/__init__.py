"""Embedding-free lexical features shared by the verifier, the engines and the argument map."""
