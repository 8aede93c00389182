"""Exceptions raised by padan.

Every error padan raises is a :class:`PadanError`. Each class also derives from the built-in
exception a Python user would expect, so ``except ValueError`` or ``except KeyError`` keep working.

Example:
    >>> import padan
    >>> try:
    ...     padan.dedupe("no-such-file.csv")
    ... except padan.InputError as err:
    ...     print(type(err).__name__, err.path)
    InputError no-such-file.csv
"""

from __future__ import annotations

from typing import Any, TypedDict

__all__ = [
    "ColumnNotFoundError",
    "ConfigError",
    "ConfigIssue",
    "InputError",
    "InternalError",
    "LayerSkippedError",
    "ModelError",
    "PadanError",
    "SchemaError",
]


class ConfigIssue(TypedDict):
    """One problem in a configuration."""

    path: str
    """Where in the configuration, as a dotted path (``columns.id``, ``blocking[0].keys``)."""
    message: str
    """What is wrong."""


class PadanError(Exception):
    """Base class of every error padan raises."""


class ConfigError(PadanError, ValueError):
    """The configuration is invalid. Every problem is listed in :attr:`issues`.

    Attributes:
        issues: One ``{"path": ..., "message": ...}`` dict per problem.
    """

    def __init__(self, message: str, issues: list[ConfigIssue] | None = None) -> None:
        super().__init__(message)
        self.issues: list[ConfigIssue] = list(issues or [])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.issues))


class SchemaError(PadanError):
    """The input's columns cannot be used (missing, or of an unusable type)."""


class ColumnNotFoundError(SchemaError, KeyError):
    """A required column is missing from the input.

    Attributes:
        column: The source column that was looked for.
        field: The logical field it maps to (for example ``id``).
        available: The columns the input does have.
    """

    def __init__(
        self,
        message: str,
        column: str | None = None,
        field: str | None = None,
        available: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.column = column
        self.field = field
        self.available: list[str] = list(available or [])

    def __str__(self) -> str:
        # KeyError would show the repr of the message (with quotes); show the message itself.
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.column, self.field, self.available))


class InputError(PadanError, OSError):
    """An input file cannot be read: missing, unreadable, malformed or of an unknown format.

    Attributes:
        path: The file involved, when there is one.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.path))


class ModelError(PadanError, ValueError):
    """A model file is malformed or does not fit the configuration's comparisons."""


class LayerSkippedError(PadanError, RuntimeError):
    """A result was asked for a layer its run skipped.

    A run with ``clusters_only`` (``padan.dedupe(..., clusters_only=True)`` or
    ``config={"clusters_only": True}``) computes pairs and clusters only: its flags, review
    list, flag counts, double recipients and households do not exist.

    Attributes:
        layer: What was asked for: ``flags`` or ``households``.
    """

    def __init__(self, message: str, layer: str | None = None) -> None:
        super().__init__(message)
        self.layer = layer

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.layer))


class InternalError(PadanError):
    """A bug in padan. Please report it with the message."""
