"""One check's verdict, and how verdicts combine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Status = Literal["ok", "warn", "fail"]
SEVERITY: dict[Status, int] = {"ok": 0, "warn": 1, "fail": 2}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: ok, warn or fail, what was found, and the fix when not ok."""

    name: str
    status: Status
    message: str
    fix: str | None = None
    data: dict[str, Any] | None = None
    """Measured facts behind the verdict (free GB, estimate, …)."""

    def to_json(self) -> dict[str, Any]:
        """The check as it appears in the report's ``checks`` list (wl.run/1's check result)."""
        out: dict[str, Any] = {"name": self.name, "status": self.status, "message": self.message}
        if self.fix is not None:
            out["fix"] = self.fix
        if self.data is not None:
            out["data"] = self.data
        return out


@dataclass(frozen=True)
class Finding:
    """One thing a check noticed; a check reports its most severe findings."""

    status: Status
    message: str
    fix: str | None = None


def combine(name: str, findings: list[Finding], ok_message: str) -> CheckResult:
    """The worst findings joined into one result (ok with ``ok_message`` when there are none)."""
    problems = [f for f in findings if f.status != "ok"]
    if not problems:
        return CheckResult(name, "ok", ok_message)
    worst = max(SEVERITY[f.status] for f in problems)
    top = [f for f in problems if SEVERITY[f.status] == worst]
    fixes = [f.fix for f in top if f.fix]
    return CheckResult(
        name, top[0].status, "; ".join(f.message for f in top), "; ".join(fixes) or None
    )
