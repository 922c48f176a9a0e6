"""Retrieval's routes (/search, /documents, /passages, /health), served by the chat app
when retrieval runs in-process."""

from __future__ import annotations

from retrieval.api import router

__all__ = ["router"]
