"""Retrieval's routes (/search, /documents, /passages, /health, /livez), served by the chat
app when retrieval runs in-process."""

from __future__ import annotations

from retrieval.api import include_retrieval_routes

__all__ = ["include_retrieval_routes"]
