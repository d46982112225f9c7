"""Notifications to ``monitoring.webhook_url``: resume, crash loop and completion, as JSON.

A webhook that is down must not stop training: one short try, then a warning. The URL itself
is never printed (it often carries a token).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from wl_trainer.status import Reporter, utc_timestamp

TIMEOUT_S = 5.0


class Webhook:
    """Posts ``{"event", "run", "time", ...}`` to the configured URL, if any."""

    def __init__(self, url: str | None, run: str, reporter: Reporter) -> None:
        self.url = url
        self.run = run
        self.reporter = reporter

    def notify(self, event: str, data: Mapping[str, Any]) -> bool:
        """Send one notification; True when the server answered 2xx (or there is no URL)."""
        if not self.url:
            return True
        body = json.dumps({"event": event, "run": self.run, "time": utc_timestamp(), **data})
        request = urllib.request.Request(
            self.url,
            data=body.encode("utf-8"),
            headers={"Content-Type": "application/json", "User-Agent": "wl-trainer"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                if 200 <= response.status < 300:
                    return True
                problem = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            problem = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            problem = type(error).__name__ if not str(error) else str(error)
        self.reporter.warning(
            f"the {event} notification to monitoring.webhook_url failed: {problem}",
            event="webhook.failed",
            fix="check the webhook URL and that its server is up (training goes on)",
        )
        return False
