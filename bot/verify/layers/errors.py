"""Errors of the verifier layers."""

from __future__ import annotations


class MissingExtraError(ImportError):
    """An optional package is not installed; the message names the extra that brings it."""

    def __init__(self, package: str, extra: str | None, purpose: str) -> None:
        how = (
            f"`pip install -e '.[{extra}]'` (the '{extra}' extra)"
            if extra
            else "`pip install -e .` (a default dependency)"
        )
        super().__init__(f"{package} is needed for {purpose}; install it with {how}")
        self.package = package
        self.extra = extra
