"""`make bench`: responses-replay against named baselines, measured side by side in one run.

A measurement is one function registered with `@measurement(title)` in `bench/measures.py`: it gets
the `Settings` and returns rows (`Measured`: our time, the baseline's, the target), or None while it
is pending. `python -m bench` runs them in order and prints one table.
"""

from .core import Measured, Settings, Target, measurement, pending

__all__ = ["Measured", "Settings", "Target", "measurement", "pending"]
