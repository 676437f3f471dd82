"""runesim: a discrete-event Monte Carlo simulator of ELDEN RING playthroughs."""

__version__ = "0.1.0"
__all__ = ["__version__"]
