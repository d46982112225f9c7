"""StepTimeWatch: a steady run says nothing; a run that slows to 1.5 times its early pace says so once."""

from __future__ import annotations

import pytest

from wl_trainer.train.throttle import (
    BASELINE_FIRST_STEP,
    BASELINE_LAST_STEP,
    RECENT_STEPS,
    SLOWDOWN,
    StepTimeWatch,
)


def feed(watch: StepTimeWatch, durations: list[float]) -> list[tuple[int, str]]:
    """Every (step, message) the watch returned while fed ``durations``."""
    said = []
    for seconds in durations:
        message = watch.add(seconds)
        if message is not None:
            said.append((watch.steps, message))
    return said


def test_the_defaults() -> None:
    assert (BASELINE_FIRST_STEP, BASELINE_LAST_STEP, RECENT_STEPS, SLOWDOWN) == (11, 30, 20, 1.5)


def test_a_steady_run_says_nothing() -> None:
    assert feed(StepTimeWatch(), [1.0] * 500) == []


def test_slow_warm_up_steps_are_not_the_baseline() -> None:
    # Steps 1 to 10 take 5 s (compiling, allocating), then 1 s; 1.4 s later is not a slowdown.
    durations = [5.0] * 10 + [1.0] * 20 + [1.4] * 200
    assert feed(StepTimeWatch(), durations) == []


def test_a_run_that_slows_down_is_reported_once() -> None:
    durations = [1.0] * 30 + [1.0] * 50 + [2.0] * 200
    said = feed(StepTimeWatch(), durations)
    assert len(said) == 1
    step, message = said[0]
    # Once 10 of the last 20 steps are slow their median is (1 + 2) / 2 = 1.5 s: step 80 + 10.
    assert step == 90
    assert message.startswith(
        "steps take 1.5× as long as at the start (1.50 s, the median of the last 20, "
        "against 1.00 s over steps 11–30): the machine is probably throttling from heat"
    )
    assert "plug the Mac in" in message


def test_exactly_the_threshold_counts() -> None:
    said = feed(StepTimeWatch(), [1.0] * 30 + [1.5] * 20)
    assert [step for step, _ in said] == [50]
    assert said[0][1].startswith("steps take 1.5× as long")


def test_just_under_the_threshold_does_not() -> None:
    assert feed(StepTimeWatch(), [1.0] * 30 + [1.49] * 300) == []


def test_a_few_slow_steps_do_not_count() -> None:
    # A checkpoint save or an evaluation every 25 steps takes 10 times as long; the median ignores them.
    durations = [1.0] * 30 + [10.0 if step % 25 == 0 else 1.0 for step in range(500)]
    assert feed(StepTimeWatch(), durations) == []


def test_nothing_is_said_before_the_recent_window_is_full() -> None:
    said = feed(StepTimeWatch(), [1.0] * 30 + [3.0] * (RECENT_STEPS - 1))
    assert said == []


def test_the_baseline_is_the_median_of_its_steps() -> None:
    watch = StepTimeWatch()
    feed(watch, [9.0] * 10 + [1.0, 2.0, 3.0] * 6 + [2.0, 100.0])
    assert watch.baseline == 2.0


def test_its_windows_and_threshold_can_be_set() -> None:
    watch = StepTimeWatch(baseline_first_step=1, baseline_last_step=2, recent_steps=3, slowdown=2)
    said = feed(watch, [1.0, 1.0, 1.9, 1.9, 2.0, 2.0])
    assert [step for step, _ in said] == [6]
    assert "over steps 1–2" in said[0][1] and "the median of the last 3" in said[0][1]


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"baseline_first_step": 0}, "1 <= baseline_first_step <= baseline_last_step"),
        ({"baseline_first_step": 31}, "got 31 and 30"),
        ({"recent_steps": 0}, "recent_steps >= 1"),
        ({"slowdown": 1.0}, "slowdown > 1"),
    ],
)
def test_bad_settings_are_refused(settings: dict[str, float], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        StepTimeWatch(**settings)  # type: ignore[arg-type]
