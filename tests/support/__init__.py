"""Shared test helpers: real servers on free loopback ports, small corpora."""
