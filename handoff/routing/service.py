"""Routing a matter to a service task (worklist) by service area and municipality."""

from handoff.county.schema import CountyConfig, ServiceTask


def general_task(county: CountyConfig) -> ServiceTask:
    """The worklist that advisors triage: unknown area or municipality ends up here."""
    return next(task for task in county.service_tasks if task.general)


def feedback_task(county: CountyConfig) -> ServiceTask | None:
    """The worklist of residents' feedback that asks for a reply, if the county has one."""
    return next((task for task in county.service_tasks if task.feedback), None)


def route(
    county: CountyConfig, *, service_area: str | None, municipality: str | None
) -> ServiceTask:
    """The service task for (area, municipality); the general task when either is unknown."""
    if service_area is None or municipality is None:
        return general_task(county)
    for task in county.service_tasks:
        if task.service_area == service_area and municipality in task.municipalities:
            return task
    return general_task(county)


def find_task(county: CountyConfig, task_id: str) -> ServiceTask | None:
    return next((task for task in county.service_tasks if task.id == task_id), None)


def canonical_municipality(county: CountyConfig, name: str | None) -> str | None:
    """The Finnish name of a municipality given in Finnish or Swedish (any case), else None."""
    if not name:
        return None
    wanted = name.strip().casefold()
    for municipality in county.municipalities:
        if wanted in (municipality.fi.casefold(), municipality.sv.casefold()):
            return municipality.fi
    return None
