"""The error for a record the pipeline cannot use: it names the file and line, so the user can
find it, and points at the tool that sets such records aside."""

from __future__ import annotations

from wl_trainer.errors import WlError

SET_ASIDE_FIX = (
    "fix or remove that record (`wl-data validate FILE --quarantine BAD.jsonl` sets bad records "
    "aside and keeps the rest)"
)


class RecordError(WlError):
    """One unusable record: ``train.jsonl:12: messages[2]: role "bot" is not …``."""

    def __init__(self, where: str, problem: str, fix: str = SET_ASIDE_FIX) -> None:
        super().__init__("data.invalid_record", f"{where}: {problem}", fix)
        self.where = where
