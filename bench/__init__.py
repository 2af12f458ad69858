"""`make bench`: responses-replay against what users would pick instead, measured side by side.

A measurement is one function registered with `@measurement(title)`: it gets the `Settings` and
returns rows (`Measured`: our time, the baseline's, the target), or None while it is pending.
`python -m bench` imports the modules of this package (`__main__.ORDER` first, then any other in
file-name order: add `bench/x.py` and its `@measurement` functions appear), runs them and prints
one table; `--strict` exits 1 when a target is missed.

Time with `race(fns, repeat)`: the median CPU time of each function (a `Timing`, a float that
also carries its interquartile range), interleaved round by round, with the garbage collector as
the interpreter sets it (`cpu_how` says so in a row's `how`). Commands: `race_commands` over `child_cpu(args)`. `LoadedHeap()` holds
500k live objects while timing; `items` gives the corpus item sets (`items.source()` says what).
"""

from .core import (
    LoadedHeap,
    Measured,
    Settings,
    Target,
    Timing,
    child_cpu,
    measurement,
    pending,
    race,
    race_commands,
)

__all__ = [
    "LoadedHeap",
    "Measured",
    "Settings",
    "Target",
    "Timing",
    "child_cpu",
    "measurement",
    "pending",
    "race",
    "race_commands",
]
