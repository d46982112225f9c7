"""Typed errors: what went wrong, what to do next, and which exit code it maps to."""

from __future__ import annotations

from typing import Any

from wl_trainer.exit_codes import ExitCode


class WlError(Exception):
    """An error a user can act on: a message, a fix, a stable code and an exit code."""

    def __init__(
        self,
        code: str,
        message: str,
        fix: str,
        exit_code: ExitCode = ExitCode.ERROR,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fix = fix
        self.exit_code = exit_code

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as class, args and attributes, so errors come back from worker processes."""
        # Exception's own reduce calls ``cls(*self.args)``, i.e. ``cls(message)``: neither
        # WlError nor its subclasses (each with its own constructor) accept that.
        return restore, (type(self), self.args, dict(self.__dict__))


def restore(cls: type[WlError], args: tuple[Any, ...], attributes: dict[str, Any]) -> WlError:
    """An unpickled WlError (or subclass): made without its constructor, then given its
    attributes — code, message, fix, exit code and any of its own."""
    error = cls.__new__(cls, *args)
    error.__dict__.update(attributes)
    return error
