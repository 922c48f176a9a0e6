"""Debate logic, grounding verifier, sessions and the chat API."""
