"""The exit-code table every wl tool and the trainer share (packages/core/src/exit-codes.ts)."""

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, by meaning."""

    OK = 0
    ERROR = 1
    CRASH_LOOP = 2
    """Training resumed 3+ times from one step."""
    PREFLIGHT_FAILED = 3
    """A check failed before anything was spent."""
    BUDGET_REACHED = 4
    """A budget or time cap stopped training; work is saved."""
    INTERRUPTED = 130
    """SIGINT or SIGTERM; work is saved."""
