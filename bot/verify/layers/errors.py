"""Errors of the verifier layers."""

from __future__ import annotations


class MissingExtraError(ImportError):
    """An optional package is not installed; the message names the extra that brings it."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        super().__init__(
            f"{package} is needed for {purpose}; install it with "
            f"`pip install -e '.[{extra}]'` (the '{extra}' extra)"
        )
        self.package = package
        self.extra = extra
