"""``python -m wl_trainer``: hands argv to the CLI and exits with its code."""

from wl_trainer.cli import main

raise SystemExit(main())
