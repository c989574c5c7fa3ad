"""`make bench`: start the system in the production profile with one and then two Rasa replicas,
measure, disturb, check, and print the report (also written to var/bench/report.md)."""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmark import scenarios
from benchmark.processes import usage
from benchmark.report import Report, markdown
from benchmark.system import ROOT, launched, throwaway_stores

SCENARIOS = ("load", "kill", "restart")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs, for trying it out")
    parser.add_argument(
        "--only", nargs="+", choices=SCENARIOS, default=list(SCENARIOS), help="scenarios to run"
    )
    parser.add_argument("--replicas", nargs="+", type=int, default=[1, 2], choices=[1, 2, 3])
    parser.add_argument("--users", nargs="+", type=int, default=[10, 50])
    parser.add_argument("--paths", nargs="+", choices=["api", "direct"], default=["api", "direct"])
    parser.add_argument(
        "--report", type=Path, default=ROOT / "var" / "bench" / "report.md", help="Markdown copy"
    )
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the processes' logs under var/bench/"
    )
    return parser.parse_args(argv)


def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        gib = f"{int(memory) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        gib = "unknown RAM"
    return f"{os.cpu_count()} cores ({model}), {gib}, {platform.system()} {platform.release()}"


def _commit() -> str:
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def _load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def header(args: argparse.Namespace, timing: scenarios.Timing) -> list[str]:
    return [
        f"- run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {_commit()}, "
        f"`scripts/bench.py{' --quick' if args.quick else ''}`",
        f"- machine: {_machine()}; load average (1/5/15 min) at the start: {_load_average()}",
        "- stores: PostgreSQL for the service and for Rasa's trackers, Redis as Rasa's lock store, "
        "with one replica too (the production profile)",
        f"- each load run: {timing.settle:.0f} s of load to settle, then a {timing.window:.0f} s "
        "window measured; conversations start at once and send each turn as soon as the last one "
        "is answered (no think time)",
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    timing = scenarios.Timing.quick() if args.quick else scenarios.Timing.full()
    report = Report(header=header(args, timing))
    started = time.monotonic()
    runs = ROOT / "var" / "bench" / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    for index, replicas in enumerate(args.replicas):
        var_dir = runs / f"replicas-{replicas}"
        log(f"starting the system with {replicas} Rasa replica(s); logs in {var_dir}/log")
        launching = time.monotonic()
        with (
            throwaway_stores() as stores,
            launched(
                var_dir,
                replicas=replicas,
                stores=stores,
                admin_token=secrets.token_urlsafe(24),
            ) as system,
        ):
            ready = time.monotonic() - launching
            log(f"ready after {ready:.0f} s; warming up")
            warm = scenarios.warm_up(system)
            peaks = {name: usage(system.pid(name)).peak_mib for name in system.process_names}
            report.notes.append(
                f"{replicas} replica(s): all processes ready {ready:.0f} s after the start, "
                f"warm-up {warm:.0f} s; peak memory from the start through "
                "the warm-up: " + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in peaks.items())
            )
            if "load" in args.only:
                for users in args.users:
                    for path in args.paths:
                        log(f"{replicas} replica(s), {path}, {users} conversations …")
                        load = scenarios.measure_load(system, path, users, timing)
                        report.loads.append(load)
                        w = load.window
                        log(
                            f"  p50 {w.p50_ms or 0:.0f} ms, p95 {w.p95_ms or 0:.0f} ms, "
                            f"{w.turns_per_second:.1f} turns/s, failed {w.failed}"
                        )
            if "restart" in args.only and index == 0:
                log("killing the handoff service under load …")
                report.restart = scenarios.restart_service(system, timing)
            if "kill" in args.only:
                log(f"killing a Rasa replica under load ({replicas} replica(s)) …")
                report.kills.append(scenarios.kill_replica(system, timing))
        log(f"stopped the system with {replicas} replica(s)")
    if not args.keep_logs:
        shutil.rmtree(runs, ignore_errors=True)
    report.notes.append(
        f"the whole benchmark took {(time.monotonic() - started) / 60:.1f} min; load average at "
        f"the end: {_load_average()}"
    )
    text = markdown(report)
    print(text)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    log(f"report written to {args.report}")
    return 0
