"""Peak memory and CPU time of the system's processes, read from /proc (Linux).

The runner starts each process as the leader of its own session (scripts/neuvo.py), so a
process and every child it starts share the leader's session id; their figures are summed.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")


def session_members(leader: int) -> list[int]:
    """The pids in the session led by `leader` (the leader first), or [] when it is gone."""
    members = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # After the command name in parentheses: state, ppid, pgrp, session, …
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == leader:
            members.append(int(entry.name))
    return sorted(members, key=lambda pid: pid != leader)


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def reset_peaks(leader: int) -> None:
    """Start the peak (VmHWM) of each process in the session afresh from its current size."""
    for pid in session_members(leader):
        # Not ours to reset, or gone: its peak then covers its whole life.
        with suppress(OSError):
            (PROC / str(pid) / "clear_refs").write_text("5")


@dataclass(frozen=True)
class Usage:
    pids: tuple[int, ...]
    peak_kib: int  # the sum of VmHWM over the session's processes
    rss_kib: int
    cpu_seconds: float

    @property
    def peak_mib(self) -> float:
        return self.peak_kib / 1024


def usage(leader: int) -> Usage:
    pids = tuple(session_members(leader))
    return Usage(
        pids=pids,
        peak_kib=sum(_status_kib(pid, "VmHWM") for pid in pids),
        rss_kib=sum(_status_kib(pid, "VmRSS") for pid in pids),
        cpu_seconds=sum(_cpu_seconds(pid) for pid in pids),
    )


def machine_busy_seconds() -> float:
    """CPU time all cores spent on anything but idling since boot (from /proc/stat)."""
    fields = [int(value) for value in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / TICKS
