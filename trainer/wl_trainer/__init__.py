"""wl's training engine: runs next to the GPU and speaks the wl tools' status lines and JSON.

Run it as ``python -m wl_trainer <command>``; ``python -m wl_trainer --help`` lists the commands.
"""

__version__ = "0.1.0"
TOOL = "wl-trainer"
