"""The one error type users see: it names the file and the problem, never a traceback."""
from __future__ import annotations


class InputError(Exception):
    """A report that cannot be read: missing, empty, binary, scanned, unknown format, too large."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
