"""Spending caps: ``budget.max_usd`` at the hourly rate, and ``budget.max_hours`` of training.

At 90 % the run warns once; at 100 % it saves a checkpoint and stops with exit 4. Hours count
training time across resumes (kept in checkpoints), so a resumed run does not get a new budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

WARN_SHARE = 0.9

Verdict = Literal["ok", "warn", "stop"]


@dataclass(frozen=True)
class Budget:
    """The caps and the rate that turns time into money."""

    max_usd: float | None
    max_hours: float | None
    cost_per_hour: float | None

    def cost(self, seconds: float) -> float | None:
        """Dollars spent after ``seconds`` of training, when a rate is known."""
        return None if self.cost_per_hour is None else self.cost_per_hour * seconds / 3600

    def share_used(self, seconds: float) -> float:
        """The largest share of any cap used so far (0 when there are no caps)."""
        shares = [0.0]
        if self.max_hours is not None:
            shares.append(seconds / 3600 / self.max_hours)
        cost = self.cost(seconds)
        if self.max_usd is not None and cost is not None:
            shares.append(cost / self.max_usd)
        return max(shares)

    def verdict(self, seconds: float) -> Verdict:
        """``stop`` at 100 % of a cap, ``warn`` from 90 %, else ``ok``."""
        share = self.share_used(seconds)
        if share >= 1:
            return "stop"
        return "warn" if share >= WARN_SHARE else "ok"

    def describe(self, seconds: float) -> str:
        """What has been used, e.g. ``0.93 h of 1 h, $1.86 of $2.00``."""
        parts = []
        if self.max_hours is not None:
            parts.append(f"{seconds / 3600:.2f} h of {self.max_hours:g} h")
        cost = self.cost(seconds)
        if self.max_usd is not None and cost is not None:
            parts.append(f"${cost:.2f} of ${self.max_usd:.2f}")
        return ", ".join(parts)


def budget_from_config(config: Mapping[str, Any], cost_per_hour: float | None) -> Budget:
    """The config's budget section, with the rate given on the command line winning."""
    section = config.get("budget") or {}
    rate = cost_per_hour if cost_per_hour is not None else section.get("cost_per_hour")
    return Budget(
        max_usd=_number(section.get("max_usd")),
        max_hours=_number(section.get("max_hours")),
        cost_per_hour=_number(rate),
    )


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None
