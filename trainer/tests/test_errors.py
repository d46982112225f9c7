"""WlError survives pickling — the way errors come back from the data pipeline's worker
processes — with its code, message, fix, exit code and a subclass's own attributes."""

from __future__ import annotations

import pickle

from wl_trainer.data.record_error import RecordError
from wl_trainer.data.render import TemplateSplitError
from wl_trainer.errors import WlError
from wl_trainer.exit_codes import ExitCode


def test_a_wl_error_round_trips_through_pickle() -> None:
    error = WlError(
        "budget.cap", "the budget is spent", "raise budget.max", ExitCode.BUDGET_REACHED
    )
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is WlError
    assert (back.code, back.message, back.fix, back.exit_code) == (
        "budget.cap",
        "the budget is spent",
        "raise budget.max",
        ExitCode.BUDGET_REACHED,
    )
    assert str(back) == "the budget is spent" and back.args == error.args


def test_subclasses_with_their_own_constructors_round_trip() -> None:
    record = pickle.loads(pickle.dumps(RecordError("train.jsonl:3", "no messages")))
    assert type(record) is RecordError
    assert (record.code, record.message, record.where) == (
        "data.invalid_record",
        "train.jsonl:3: no messages",
        "train.jsonl:3",
    )
    split = pickle.loads(pickle.dumps(TemplateSplitError("chat.jsonl:7", "turn 2 moved")))
    assert type(split) is TemplateSplitError and split.code == "data.template_split"
    assert (
        split.message == "chat.jsonl:7: the chat template cannot be split into turns: turn 2 moved"
    )
    assert split.exit_code == ExitCode.ERROR
