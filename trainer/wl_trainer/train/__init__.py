"""The training engine: ``python -m wl_trainer train`` (loop.py reads top to bottom)."""
