"""``status.json``: the run's live state for anyone polling it (``wl-train status``, a remote
follower, an app), replaced atomically on every change and at least every ``HEARTBEAT_S``
seconds while the process lives — so a stale heartbeat means a dead trainer even when the
last ``stage`` still says ``training``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from pathlib import Path
from typing import Any

from wl_trainer.status import utc_timestamp
from wl_trainer.train.files import write_json_atomic

STATUS_SCHEMA = "wl.train-status/1"
HEARTBEAT_S = 15.0


class StatusBoard:
    """The state written to ``status.json``; ``update`` changes fields and writes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._state: dict[str, Any] = {
            "schema": STATUS_SCHEMA,
            "stage": "starting",
            "step": 0,
            "total_steps": None,
            "epoch": 0.0,
            "loss": None,
            "eval_loss": None,
            "lr": None,
            "tokens_per_s": None,
            "eta_s": None,
            "elapsed_s": 0.0,
            "cost_usd": None,
            "cost_per_hour": None,
            "memory_gb": None,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "heartbeat": utc_timestamp(),
            "started_at": utc_timestamp(),
            "message": "",
        }
        self._thread = threading.Thread(target=self._beat, name="wl-heartbeat", daemon=True)

    def start(self) -> StatusBoard:
        """Write the first state and keep the heartbeat going."""
        self.update()
        self._thread.start()
        return self

    def update(self, **fields: Any) -> None:
        """Change fields (none: just the heartbeat) and write the file."""
        with self._lock:
            self._state.update(fields, heartbeat=utc_timestamp())
            write_json_atomic(self.path, self._state)

    def get(self, field: str) -> Any:
        """A field's current value."""
        with self._lock:
            return self._state.get(field)

    def finish(self, stage: str, exit_code: int, message: str) -> None:
        """The last write: how the process ended. The heartbeat stops."""
        self._stopped.set()
        self.update(stage=stage, exit_code=exit_code, message=message, eta_s=None)

    def _beat(self) -> None:
        while not self._stopped.wait(HEARTBEAT_S):
            # A full disk must not kill training from this thread; the loop will see it.
            with contextlib.suppress(OSError):
                self.update()
