"""What the benchmark does to a running system: warm it up, measure a load, kill a Rasa replica
under load, kill the handoff service under load; and the checks after each (transcripts, tickets).
Runs inside the gevent-patched process of scripts/bench.py."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import gevent
import httpx

from benchmark import conversations
from benchmark.figures import TranscriptCheck, WindowFigures, check_transcript, percentile
from benchmark.figures import window_figures as figures_in
from benchmark.load import TURN, Chat, LoadRun, Mode, Plan
from benchmark.processes import machine_busy_seconds, reset_peaks, usage
from benchmark.system import System


@dataclass(frozen=True)
class Timing:
    settle: float  # seconds of load before the measured window
    window: float  # the measured window
    kill_users: int
    before_kill: float
    after_kill: float
    restart_users: int
    after_restart: float  # load continues this long after the restarted service is ready

    @classmethod
    def full(cls) -> Timing:
        return cls(10, 40, 20, 15, 30, 10, 15)

    @classmethod
    def quick(cls) -> Timing:
        return cls(3, 10, 10, 5, 10, 6, 5)


@dataclass(frozen=True)
class ProcessFigures:
    peak_mib: float
    cpu_percent: float  # of one core, over the whole run
    pids: int


@dataclass
class LoadFigures:
    replicas: int
    mode: Mode
    users: int
    window: WindowFigures
    conversations: int
    unexpected: int  # turns whose last bot message was not of the expected kind
    fallbacks: dict[str, int]
    tickets: int
    statuses: dict[str, dict[int, int]]
    processes: dict[str, ProcessFigures]
    load_generator_cpu_percent: float
    rest_cpu_percent: float  # everything else on the machine: PostgreSQL, Redis, other work
    load_generator_overloaded: bool
    benchmark_errors: int


def _fallbacks(chats: Iterable[Chat]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for chat in chats:
        for sent in chat.sent:
            if sent.fallback:
                counts[sent.fallback] = counts.get(sent.fallback, 0) + 1
    return counts


def _plan(system: System, mode: Mode, section: str, think: float = 0.0) -> Plan:
    return Plan(
        mode=mode,
        service_url=system.url,
        rasa_urls=system.rasa_urls,
        rasa_token=system.rasa_token,
        scripts=conversations.load(section),
        think_seconds=think,
    )


def warm_up(system: System) -> float:
    """Every scripted turn once on every replica (Rasa's first predictions are slow), and one
    conversation through the API; the seconds it took."""
    started = time.monotonic()
    scripts = conversations.load("mix")
    with httpx.Client(timeout=120) as client:
        for url in system.rasa_urls:
            for script in scripts:
                created = client.post(
                    f"{system.url}/api/v1/conversations", json={"language": script.language}
                )
                created.raise_for_status()
                sender = created.json()["conversation_id"]
                for step in script.steps:
                    client.post(
                        f"{url}/webhooks/rest/webhook",
                        json={
                            "sender": sender,
                            "message": step.message,
                            "metadata": {"language": script.language},
                        },
                        headers={"Authorization": f"Bearer {system.rasa_token}"},
                    ).raise_for_status()
        created = client.post(f"{system.url}/api/v1/conversations", json={"language": "fi"})
        created.raise_for_status()
        conversation = created.json()
        for step in scripts[0].steps:
            client.post(
                f"{system.url}/api/v1/conversations/{conversation['conversation_id']}/messages",
                json={"text": step.message},
                headers={"Authorization": f"Bearer {conversation['token']}"},
            ).raise_for_status()
    return time.monotonic() - started


def measure_load(system: System, mode: Mode, users: int, timing: Timing) -> LoadFigures:
    """`users` conversations at once, each sending its next turn as soon as the last one is
    answered; latency and throughput in the window after the settling time; each process's peak
    memory during the run (VmHWM reset before it) and its CPU use."""
    plan = _plan(system, mode, "mix")
    leaders = {name: system.pid(name) for name in system.process_names}
    for leader in leaders.values():
        reset_peaks(leader)
    cpu_before = {name: usage(leader).cpu_seconds for name, leader in leaders.items()}
    own_before = sum(os.times()[:2])
    busy_before = machine_busy_seconds()
    run = LoadRun(plan, users)
    run.start()
    gevent.sleep(timing.settle + timing.window)
    run.stop()
    elapsed = time.time() - run.started
    window_start = run.started + timing.settle
    busy = machine_busy_seconds() - busy_before
    own = sum(os.times()[:2]) - own_before
    processes = {}
    for name, leader in leaders.items():
        now = usage(leader)
        processes[name] = ProcessFigures(
            peak_mib=now.peak_mib,
            cpu_percent=100 * (now.cpu_seconds - cpu_before[name]) / elapsed,
            pids=len(now.pids),
        )
    system_cpu = sum(p.cpu_percent for p in processes.values()) * elapsed / 100
    return LoadFigures(
        replicas=system.replicas,
        mode=mode,
        users=users,
        window=figures_in(
            plan.samples, name=TURN, start=window_start, end=window_start + timing.window
        ),
        conversations=len(plan.chats),
        unexpected=sum(chat.unexpected for chat in plan.chats),
        fallbacks=_fallbacks(plan.chats),
        tickets=sum(len(chat.references) for chat in plan.chats),
        statuses=plan.statuses,
        processes=processes,
        load_generator_cpu_percent=100 * own / elapsed,
        rest_cpu_percent=100 * max(0.0, busy - own - system_cpu) / elapsed,
        load_generator_overloaded=run.load_generator_overloaded,
        benchmark_errors=run.errors,
    )


# ------------------------------------------------------------------ checks after a disturbance


def check_transcripts(system: System, chats: Iterable[Chat]) -> TranscriptCheck:
    """Every message the service accepted (HTTP 200) is in its conversation's transcript."""
    total = TranscriptCheck()
    with httpx.Client(timeout=30) as client:
        for chat in chats:
            response = client.get(
                f"{system.url}/api/v1/conversations/{chat.conversation_id}", headers=chat.headers
            )
            response.raise_for_status()
            total.add(check_transcript(chat.sent, response.json()["messages"]))
    return total


@dataclass
class TicketCheck:
    answered: int = 0  # references the residents got
    found: int = 0  # of those, in the database (the advisor API) with the right conversation
    missing: list[str] = field(default_factory=list)
    unanswered_created: int = 0  # tickets of these conversations whose reference nobody got


def check_tickets(system: System, chats: Iterable[Chat]) -> TicketCheck:
    """Every ticket reference a resident got is in the database, linked to their conversation."""
    check = TicketCheck()
    with httpx.Client(timeout=30) as client:
        for chat in chats:
            for reference in chat.references:
                check.answered += 1
                response = client.get(
                    f"{system.url}/api/v1/tickets/{reference}", headers=system.admin
                )
                if (
                    response.status_code == 200
                    and response.json()["conversation_id"] == chat.conversation_id
                ):
                    check.found += 1
                else:
                    check.missing.append(reference)
            transcript = client.get(
                f"{system.url}/api/v1/conversations/{chat.conversation_id}", headers=chat.headers
            )
            transcript.raise_for_status()
            linked = {ticket["reference"] for ticket in transcript.json()["tickets"]}
            check.unanswered_created += len(linked - set(chat.references))
    return check


def _statuses(plan: Plan) -> dict[str, dict[int, int]]:
    return {name: dict(sorted(counts.items())) for name, counts in plan.statuses.items()}


def _server_errors(plan: Plan) -> int:
    return sum(
        n for counts in plan.statuses.values() for status, n in counts.items() if status >= 500
    )


# ------------------------------------------------------------------ kill -9 of a Rasa replica


@dataclass
class KillFigures:
    replicas: int
    users: int
    killed: str
    turns: int
    turn_p95_ms: float | None
    turn_max_ms: float | None
    statuses: dict[str, dict[int, int]]
    server_errors: int
    fallbacks: dict[str, int]
    transcripts: TranscriptCheck
    contact_requests: int  # left by residents who got the bot-unavailable fallback
    contact_tickets_found: int
    replica_was_down_meanwhile: bool
    service_warnings: dict[str, int]  # the service's log: warnings and errors during the run
    restart_seconds: float  # from the kill until the replica answered with its model again
    answered_after_restart: bool
    tickets: TicketCheck


def warnings_logged(system: System, offset: int) -> dict[str, int]:
    """The service's warnings and errors logged after `offset` (one JSON object per line),
    counted by message, with each replica's URL replaced by its process name."""
    counts: dict[str, int] = {}
    with (system.var_dir / "log" / "handoff.log").open(encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        for line in log:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("level") not in ("WARNING", "ERROR", "CRITICAL"):
                continue
            message = f"{entry['level']}: {entry.get('message', '')}"
            for url in system.rasa_urls:
                message = message.replace(url, system.replica_name(url))
            counts[message] = counts.get(message, 0) + 1
    return counts


def _turn_times(plan: Plan) -> tuple[float | None, float | None]:
    """p95 and maximum of the answered turns of a whole run."""
    times = [s.milliseconds for s in plan.samples if s.name == TURN and s.ok]
    return (percentile(times, 0.95), max(times)) if times else (None, None)


def leave_contact_requests(system: System, chats: list[Chat]) -> tuple[int, int]:
    """Each resident leaves a contact request through the API; (201 answers, tickets found)."""
    created = found = 0
    with httpx.Client(timeout=30) as client:
        for chat in chats:
            description = (
                "Botti ei vastannut, soittakaa minulle"
                if chat.script.language == "fi"
                else "Boten svarade inte, ring mig"
            )
            response = client.post(
                f"{system.url}/api/v1/conversations/{chat.conversation_id}/contact-requests",
                json={"phone": "040 765 4321", "description": description},
                headers=chat.headers,
            )
            if response.status_code != 201:
                continue
            created += 1
            reference = response.json()["ticket"]["reference"]
            chat.references.append(reference)
            ticket = client.get(f"{system.url}/api/v1/tickets/{reference}", headers=system.admin)
            found += ticket.status_code == 200
    return created, found


def kill_replica(system: System, timing: Timing, *, contact_limit: int = 20) -> KillFigures:
    """Residents chat through the API (1 s between turns); one replica's whole process group gets
    SIGKILL (as a container would die); the runner restarts it. Then: residents who got the
    bot-unavailable fallback leave a contact request, and every accepted message is checked."""
    plan = _plan(system, "api", "mix", think=1.0)
    victim = system.rasa_urls[0]
    name = system.replica_name(victim)
    log = system.var_dir / "log" / "handoff.log"
    log_offset = log.stat().st_size
    run = LoadRun(plan, timing.kill_users)
    run.start()
    gevent.sleep(timing.before_kill)
    killed_at = time.monotonic()
    os.killpg(system.pid(name), signal.SIGKILL)
    gevent.sleep(timing.after_kill)
    run.stop()
    unavailable = [c for c in plan.chats if any(s.fallback == "bot_unavailable" for s in c.sent)]
    down = not system.replica_ready(victim)
    contacts, contact_tickets = leave_contact_requests(system, unavailable[:contact_limit])
    system.wait(f"the restarted {name}", lambda: system.replica_ready(victim), 300)
    restart_seconds = time.monotonic() - killed_at
    return KillFigures(
        replicas=system.replicas,
        users=timing.kill_users,
        killed=name,
        turns=sum(plan.statuses.get(TURN, {}).values()),
        turn_p95_ms=_turn_times(plan)[0],
        turn_max_ms=_turn_times(plan)[1],
        statuses=_statuses(plan),
        server_errors=_server_errors(plan),
        fallbacks=_fallbacks(plan.chats),
        transcripts=check_transcripts(system, plan.chats),
        contact_requests=contacts,
        contact_tickets_found=contact_tickets,
        replica_was_down_meanwhile=down,
        service_warnings=warnings_logged(system, log_offset),
        restart_seconds=restart_seconds,
        answered_after_restart=_answers(system),
        tickets=check_tickets(system, plan.chats),
    )


def _answers(system: System) -> bool:
    """A new conversation gets a real answer (not a fallback) through the API."""
    with httpx.Client(timeout=120) as client:
        created = client.post(f"{system.url}/api/v1/conversations", json={"language": "fi"})
        created.raise_for_status()
        conversation = created.json()
        reply = client.post(
            f"{system.url}/api/v1/conversations/{conversation['conversation_id']}/messages",
            json={"text": "miten teidät tavoittaa puhelimella"},
            headers={"Authorization": f"Bearer {conversation['token']}"},
        )
    kinds = [m["kind"] for m in reply.json()["messages"]] if reply.status_code == 200 else []
    return bool(kinds) and "fallback" not in kinds


# ------------------------------------------------------------------ kill -9 of the service


@dataclass
class RestartFigures:
    users: int
    statuses: dict[str, dict[int, int]]
    server_errors: int
    no_response: int  # requests that got no answer (the service was down)
    downtime_seconds: float  # from the kill until /readyz answered 200 again
    handoffs_failed: int  # hand-off turns answered (200) without their ticket's reference
    transcripts: TranscriptCheck
    tickets: TicketCheck


def restart_service(system: System, timing: Timing) -> RestartFigures:
    """Residents create tickets through the API (hand-offs and contact requests, 0.5 s between
    turns); the uvicorn process gets SIGKILL and the runner restarts it. Then: every ticket whose
    reference a resident got is in the database, and every accepted message in its transcript."""
    plan = _plan(system, "api", "tickets", think=0.5)
    run = LoadRun(plan, timing.restart_users)
    run.start()
    gevent.sleep(timing.before_kill)
    killed_at = time.monotonic()
    os.killpg(system.pid("handoff"), signal.SIGKILL)
    gevent.sleep(1)  # the runner notices within half a second
    system.wait("the restarted handoff service", system.service_ready, 300)
    downtime = time.monotonic() - killed_at
    gevent.sleep(timing.after_restart)
    run.stop()
    handoffs_failed = sum(
        1
        for chat in plan.chats
        for sent in chat.sent
        if sent.expects_ticket and sent.accepted and not sent.reference
    )
    return RestartFigures(
        users=timing.restart_users,
        statuses=_statuses(plan),
        server_errors=_server_errors(plan),
        no_response=sum(counts.get(0, 0) for counts in plan.statuses.values()),
        downtime_seconds=downtime,
        handoffs_failed=handoffs_failed,
        transcripts=check_transcripts(system, plan.chats),
        tickets=check_tickets(system, plan.chats),
    )
