"""Domain errors the services raise; the HTTP layer maps each to a status code."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a client can cause; ``status_code`` is the HTTP answer."""

    status_code = 400


class NotFoundError(DomainError):
    """An unknown motion, debate, passage or document id."""

    status_code = 404


class InvalidInputError(DomainError):
    """Input that parses but cannot be used (wrong side, motion without a map, ...)."""

    status_code = 422


class ConflictError(DomainError):
    """The resource exists already."""

    status_code = 409
