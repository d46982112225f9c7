"""SIGTERM and SIGINT (spot preemption, Ctrl+C, ``wl-train stop``) ask the run to stop; the loop
finishes its step, writes a checkpoint and exits 130. Nothing is cut off mid-write."""

from __future__ import annotations

import signal
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopRequest:
    """Set by a stop signal, read by the loop between steps."""

    def __init__(self) -> None:
        self.signal_name: str | None = None
        self._previous: dict[int, object] = {}

    @property
    def requested(self) -> bool:
        """Whether a stop signal has arrived."""
        return self.signal_name is not None

    def install(self) -> StopRequest:
        """Catch the stop signals in this (main) thread from now on."""
        for number in STOP_SIGNALS:
            self._previous[number] = signal.signal(number, self._handle)
        return self

    def restore(self) -> None:
        """Put the previous handlers back."""
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
        self._previous.clear()

    def _handle(self, number: int, _frame: FrameType | None) -> None:
        # Only the first signal counts; a second Ctrl+C while the checkpoint is written must not
        # abandon it (the write is atomic anyway, and kill -9 is there for the impatient).
        if self.signal_name is None:
            self.signal_name = signal.Signals(number).name
