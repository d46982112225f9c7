"""An assistant turn's own text, found by aligning two renders, for templates whose render up to a
turn is not a prefix of the render through it.

Mistral-7B-Instruct-v0.3's template writes the system prompt only inside the *last* user message:
the render up to an assistant turn, ``R = render(messages[:i], add_generation_prompt=True)``,
ends with that user message and shows the system prompt; the render through the turn,
``T = render(messages[:i+1])``, ends with the assistant and shows none. R is what a server
renders when it asks the model for that turn, so the sample for it is R followed by the text the
template writes for the turn itself, C; only C is trained. C is read off T, never found by
string markers. The rule, exact and with no heuristics:

- R and T agree up to the first character where they differ, ``p``;
- from ``p``, R holds one contiguous block of ``k > 0`` characters found only in R (Mistral v0.3:
  the system prompt and the blank line after it), after which the rest of R, ``R[p+k:]``, which
  must not be empty, is exactly what T holds from ``p`` on — so every other character of R is
  matched, R's last one included;
- exactly one such ``k`` fits, and T continues after the match of R's end: C is that
  continuation, ``T[len(R)-k:]``, not empty.

The block must start where R and T first differ: a block anywhere earlier leaves the same C (the
characters before ``p`` are shared), and any block that reaches R's end would not say where the
assistant starts writing. When no ``k`` fits, when more than one does (the match of R's end, and
so C, would be a guess), or when nothing follows it, the conversation is refused
(TemplateSplitError, naming it): a template that inserts text in two places, or renders the
turns before it differently, is never masked wrongly.
"""

from __future__ import annotations

from wl_trainer.data.render import TemplateSplitError, common_prefix


def aligned_reply(name: str, turn: int, opening: str, closing: str) -> str:
    """The text ``closing`` (render through assistant ``turn``) adds after its match of
    ``opening``'s end (the render up to it); TemplateSplitError when it is not one exact block."""
    shared = common_prefix(opening, closing)
    fits = [
        block
        for block in range(1, len(opening) - shared)
        if opening[shared + block] == closing[shared : shared + 1]
        and closing.startswith(opening[shared + block :], shared)
    ]
    problem = ""
    if not fits:
        problem = "no single block of the former, left out, makes it a prefix of the latter"
    elif len(fits) > 1:
        problem = f"blocks of {len(fits)} different lengths could be the text only the former has"
    elif len(opening) - fits[0] == len(closing):
        problem = "the latter adds nothing after it"
    if problem:
        raise TemplateSplitError(
            name,
            f"the render up to assistant turn {turn} is not a prefix of the render through it "
            f"(they differ from character {shared}), and {problem}",
        )
    return closing[len(opening) - fits[0] :]
