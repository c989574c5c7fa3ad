"""The benchmark's report in Markdown: readable in a terminal, the source of docs/benchmark.md."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmark.figures import TranscriptCheck
from benchmark.scenarios import KillFigures, LoadFigures, RestartFigures, TicketCheck

PATHS = {"api": "public API", "direct": "Rasa directly"}


@dataclass
class Report:
    header: list[str]
    loads: list[LoadFigures] = field(default_factory=list)
    kills: list[KillFigures] = field(default_factory=list)
    restart: RestartFigures | None = None
    notes: list[str] = field(default_factory=list)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {n}" for key, n in sorted(counts.items())) or "none"


def _statuses(statuses: dict[str, dict[int, int]]) -> str:
    parts = []
    for name, counts in sorted(statuses.items()):
        shown = ", ".join(f"{status or 'no response'}: {n}" for status, n in counts.items())
        parts.append(f"{name} ({shown})")
    return "; ".join(parts)


def latency_table(loads: list[LoadFigures]) -> list[str]:
    lines = [
        "| replicas | path | concurrent conversations | turns measured | p50 ms | p95 ms "
        "| max ms | turns/s | failed | not the expected reply |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for load in loads:
        w = load.window
        lines.append(
            f"| {load.replicas} | {PATHS[load.mode]} | {load.users} | {w.turns} | {_ms(w.p50_ms)} "
            f"| {_ms(w.p95_ms)} | {_ms(w.max_ms)} | {w.turns_per_second:.1f} | {w.failed} "
            f"| {load.unexpected} |"
        )
    return lines


def memory_table(loads: list[LoadFigures]) -> list[str]:
    names = sorted({name for load in loads for name in load.processes}, key=_process_order)
    lines = [
        "| replicas | path | concurrent | "
        + " | ".join(names)
        + " | load generator (CPU) | rest of the machine (CPU) |",
        "| ---: | --- | ---: | " + " | ".join("---:" for _ in names) + " | ---: | ---: |",
    ]
    for load in loads:
        cells = []
        for name in names:
            process = load.processes.get(name)
            cells.append(
                "–"
                if process is None
                else f"{process.peak_mib:.0f} MiB, {process.cpu_percent:.0f} %"
                + (f" ({process.pids} processes)" if process.pids > 1 else "")
            )
        lines.append(
            f"| {load.replicas} | {PATHS[load.mode]} | {load.users} | "
            + " | ".join(cells)
            + f" | {load.load_generator_cpu_percent:.0f} %"
            + (" (overloaded)" if load.load_generator_overloaded else "")
            + f" | {load.rest_cpu_percent:.0f} % |"
        )
    return lines


def _process_order(name: str) -> tuple[int, str]:
    return ({"actions": 0, "handoff": 2}.get(name, 1), name)


def _transcripts(check: TranscriptCheck) -> str:
    lost = len(check.lost)
    return (
        f"{check.accepted} messages accepted (HTTP 200), {check.accepted - lost} of them in the "
        f"transcripts, **{lost} lost**; {check.stored_unanswered} more stored although their "
        f"request got no answer; {check.out_of_order} stored messages out of order"
    )


def _tickets(check: TicketCheck) -> str:
    return (
        f"{check.answered} ticket references given to residents, {check.found} of them in the "
        f"database with their conversation, **{len(check.missing)} missing**"
        + (f" ({', '.join(check.missing)})" if check.missing else "")
        + f"; {check.unanswered_created} more tickets created whose reference no resident got"
    )


def _contacts(kill: KillFigures) -> str:
    if not kill.contact_requests and not kill.fallbacks.get("bot_unavailable"):
        return "no resident got the bot-unavailable fallback, so none left a contact request"
    return (
        f"contact requests left by residents who got the bot-unavailable fallback: "
        f"{kill.contact_requests} answered 201 with a reference, {kill.contact_tickets_found} of "
        f"those tickets found through the advisor API"
        + (" (left while the replica was still down)" if kill.replica_was_down_meanwhile else "")
    )


def kill_lines(kill: KillFigures) -> list[str]:
    return [
        f"**{kill.replicas} replica{'s' if kill.replicas > 1 else ''}, {kill.users} residents, "
        f"`{kill.killed}` killed:**",
        "",
        f"- requests: {_statuses(kill.statuses)}; **{kill.server_errors} server errors (5xx)**",
        f"- fallbacks among {kill.turns} turns: {_counts(kill.fallbacks)}; turn p95 "
        f"{_ms(kill.turn_p95_ms)} ms, slowest {_ms(kill.turn_max_ms)} ms",
        f"- {_transcripts(kill.transcripts)}",
        f"- {_contacts(kill)}",
        f"- {_tickets(kill.tickets)}",
        "- the service logged: "
        + (
            "; ".join(f"{n} × {message}" for message, n in kill.service_warnings.items())
            or "nothing"
        ),
        f"- the replica answered with its model again {kill.restart_seconds:.0f} s after the kill; "
        f"a new conversation then got a real answer: "
        f"{'yes' if kill.answered_after_restart else '**no**'}",
    ]


def restart_lines(restart: RestartFigures) -> list[str]:
    return [
        f"**{restart.users} residents creating tickets, the handoff service (uvicorn) killed:**",
        "",
        f"- requests: {_statuses(restart.statuses)}; "
        f"**{restart.server_errors} server errors (5xx)**, {restart.no_response} without a "
        f"response while the service was down",
        f"- the service answered /readyz again {restart.downtime_seconds:.1f} s after the kill",
        f"- hand-off turns answered without their ticket reference: {restart.handoffs_failed}",
        f"- {_tickets(restart.tickets)}",
        f"- {_transcripts(restart.transcripts)}",
    ]


def markdown(report: Report) -> str:
    lines = ["# Neuvo benchmark", "", *report.header, ""]
    if report.loads:
        lines += ["## Latency and throughput per turn", "", *latency_table(report.loads), ""]
        lines += [
            "## Peak memory (VmHWM) and CPU of each process during each run",
            "",
            "Peak memory and CPU (in % of one core; the machine has two, 200 % in all) of each "
            "process during the run; a process's figures include its child processes. The rest of "
            "the machine is PostgreSQL, Redis and whatever else ran at the same time.",
            "",
            *memory_table(report.loads),
            "",
        ]
        extra = [
            f"- {load.replicas} × {PATHS[load.mode]} × {load.users}: {load.conversations} "
            f"conversations, fallbacks: {_counts(load.fallbacks)}, tickets: {load.tickets}, "
            f"requests: {_statuses(load.statuses)}"
            + (
                f", **{load.benchmark_errors} errors in the benchmark**"
                if load.benchmark_errors
                else ""
            )
            for load in report.loads
        ]
        lines += ["Details of the runs (whole runs, settling time included):", "", *extra, ""]
    if report.kills:
        lines += ["## kill -9 of a Rasa replica under load", ""]
        for kill in report.kills:
            lines += [*kill_lines(kill), ""]
    if report.restart:
        lines += [
            "## kill -9 of the handoff service under load",
            "",
            *restart_lines(report.restart),
        ]
        lines.append("")
    if report.notes:
        lines += ["## Notes", "", *(f"- {note}" for note in report.notes), ""]
    return "\n".join(lines)
