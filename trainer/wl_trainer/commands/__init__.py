"""The trainer's subcommands. Each module offers NAME, HELP, add_arguments(parser) and
run(args, reporter) -> exit code; cli.py wires them into argparse."""

from __future__ import annotations

import argparse
from typing import Protocol

from wl_trainer.status import Reporter


class Command(Protocol):
    """What a subcommand module provides."""

    NAME: str
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare the command's own options."""

    def run(self, args: argparse.Namespace, reporter: Reporter) -> int:
        """Do the work, write data to stdout, and return the exit code."""
