"""Rich consoles made on first use: importing rich costs start-up time that
``runesim --help`` and ``runesim validate`` do not need."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import rich.console

__all__ = ["Console", "err_console"]


def Console(**kw: Any) -> rich.console.Console:  # noqa: N802 (stands in for rich's class)
    """A ``rich.console.Console(**kw)``, rich imported now."""
    from rich.console import Console as RichConsole

    return RichConsole(**kw)


def err_console() -> rich.console.Console:
    """The console for messages on stderr: plain, one line per message."""
    return Console(stderr=True, soft_wrap=True, highlight=False)
