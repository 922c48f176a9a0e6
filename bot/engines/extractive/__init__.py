"""The extractive engine: offline, deterministic replies quoted from the evidence."""
