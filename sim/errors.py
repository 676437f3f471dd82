"""Errors raised at the edge, when a scenario, an override or the world data is read.

Everything past the edge trusts its inputs; every message raised here names the
file, the key path, the bad value and what was expected, so the CLI can print it
as one line and exit with code 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["InputError", "RunError", "did_you_mean", "ReplicationFailure", "shorten"]

MAX_QUOTED = 120  # characters of a value or key path quoted in a message


def shorten(text: str, limit: int = MAX_QUOTED) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 20]}... ({len(text):,} characters)"


def did_you_mean(value: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Return the closest names to ``value`` among ``choices`` (case-insensitive)."""
    choices = list(choices)
    if len(str(value)) > MAX_QUOTED:  # nothing is that long; difflib would take its time
        return []
    lowered = {c.lower(): c for c in choices}
    hits = difflib.get_close_matches(str(value).lower(), list(lowered), n=n, cutoff=0.6)
    if not hits:
        # a substring match catches short forms such as "Margit" for "Margit, the Fell Omen"
        v = str(value).lower()
        hits = [c for c in lowered if v and (v in c or c in v)][:n]
    return [lowered[h] for h in hits]


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with an input: where, what, and what was expected."""

    key_path: str
    value: object
    expected: str
    suggestions: tuple[str, ...] = ()

    def describe(self) -> str:
        where = shorten(self.key_path or "(top level)")
        text = f"{where} = {shorten(repr(self.value))}: expected {self.expected}"
        if self.suggestions:
            text += (
                "; did you mean " + " or ".join(shorten(repr(s)) for s in self.suggestions) + "?"
            )
        return text


class InputError(Exception):
    """Bad input (scenario file, --set override, world data): exit code 2, no traceback."""

    def __init__(self, file: str | None, problems: list[InputProblem] | InputProblem) -> None:
        if isinstance(problems, InputProblem):
            problems = [problems]
        self.file = file
        self.problems = list(problems)
        super().__init__(self.message)

    @classmethod
    def one(
        cls,
        file: str | None,
        key_path: str,
        value: object,
        expected: str,
        suggestions: Iterable[str] = (),
    ) -> InputError:
        return cls(file, InputProblem(key_path, value, expected, tuple(suggestions)))

    @property
    def message(self) -> str:
        head = f"{shorten(self.file)}: " if self.file else ""
        if len(self.problems) == 1:
            return head + self.problems[0].describe()
        lines = [f"{head}{len(self.problems)} problems"]
        lines += ["  " + p.describe() for p in self.problems]
        return "\n".join(lines)


class ReplicationFailure(Exception):
    """A replication raised; carried back to the batch so it is recorded, not fatal."""


class RunError(Exception):
    """The machine failed a command (a directory that cannot be written, a full disk, an
    unreachable scheduler): one line naming the path and the cause, no traceback.

    ``exit_code`` is 2 before anything ran and 1 for a failure during a run (whatever was
    finished is kept and ``--resume`` continues it).
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    @classmethod
    def from_os(cls, err: OSError, doing: str, exit_code: int = 2) -> RunError:
        where = shorten(str(err.filename)) + ": " if err.filename else ""
        cause = err.strerror or str(err)
        return cls(f"{where}{doing}: {cause}", exit_code)
