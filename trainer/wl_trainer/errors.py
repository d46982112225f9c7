"""Typed errors: what went wrong, what to do next, and which exit code it maps to."""

from __future__ import annotations

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
