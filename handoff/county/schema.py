"""The county configuration file's schema. Errors name the field that is wrong."""

import re
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ServiceArea = Literal["lanupe", "working_age", "elderly", "disability"]
SERVICE_AREAS: tuple[ServiceArea, ...] = ("lanupe", "working_age", "elderly", "disability")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
_PHONE = re.compile(r"^\+?[\d ]{6,20}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(Strict):
    """A text a resident may see, in Finnish and Swedish."""

    fi: str = Field(min_length=1)
    sv: str = Field(min_length=1)

    def __call__(self, language: str) -> str:
        return self.sv if language == "sv" else self.fi


class CountyInfo(Strict):
    name: Bilingual
    website: Bilingual
    reference_prefix: str = Field(pattern=r"^[A-Z]{2,4}$")
    timezone: str = "Europe/Helsinki"

    @field_validator("website")
    @classmethod
    def _https(cls, value: Bilingual) -> Bilingual:
        for url in (value.fi, value.sv):
            if not url.startswith("https://"):
                raise ValueError(f"website must start with https://, got {url!r}")
        return value


class Municipality(Strict):
    fi: str = Field(min_length=2)
    sv: str = Field(min_length=2)
    fi_stem: str | None = None
    # Villages and districts residents name instead of the municipality (Nikkilä, Nickby), in
    # either language; the bot reads them as this municipality.
    aliases: list[str] = []

    @model_validator(mode="after")
    def _stem_is_a_prefix(self) -> Self:
        if self.fi_stem and self.fi_stem[:3].lower() != self.fi[:3].lower():
            raise ValueError(f"fi_stem {self.fi_stem!r} does not look like a stem of {self.fi!r}")
        return self


class ServicePromise(Strict):
    working_days: int = Field(ge=0, le=60)


class ServiceTask(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Bilingual
    promise: str
    general: bool = False
    feedback: bool = False  # residents' feedback that asks for a reply lands here
    service_area: ServiceArea | None = None
    municipalities: list[str] = []

    @model_validator(mode="after")
    def _area_unless_general(self) -> Self:
        if self.general and self.feedback:
            raise ValueError("a service task cannot be both general and the feedback task")
        if not (self.general or self.feedback) and self.service_area is None:
            raise ValueError("a service task that is not general or feedback needs a service_area")
        return self


def _check_hours(value: dict[Weekday, str]) -> dict[Weekday, str]:
    for day, hours in value.items():
        if not _HOURS.match(hours):
            raise ValueError(f"{day}: expected HH:MM-HH:MM, got {hours!r}")
        start, end = hours.split("-")
        if start >= end:
            raise ValueError(f"{day}: opening {start} is not before closing {end}")
    return value


class OfficeHours(Strict):
    example: bool = False
    days: dict[Weekday, str]

    @field_validator("days")
    @classmethod
    def _hours(cls, value: dict[Weekday, str]) -> dict[Weekday, str]:
        return _check_hours(value)


class LiveChat(Strict):
    """When residents can be connected to an advisor in the chat (an advisor must be online too).

    Without `days` the office hours apply. Public holidays are closed unless `open_on_holidays`.
    """

    enabled: bool = True
    days: dict[Weekday, str] | None = None
    open_on_holidays: bool = False

    @field_validator("days")
    @classmethod
    def _hours(cls, value: dict[Weekday, str] | None) -> dict[Weekday, str] | None:
        return None if value is None else _check_hours(value)


class ContactNumber(Strict):
    number: str
    name: Bilingual
    example: bool = False

    @field_validator("number")
    @classmethod
    def _number(cls, value: str) -> str:
        if not _PHONE.match(value):
            raise ValueError(f"not a phone number: {value!r}")
        return value


class CountyConfig(Strict):
    county: CountyInfo
    municipalities: list[Municipality] = Field(min_length=1)
    service_areas: dict[ServiceArea, Bilingual]
    service_promises: dict[str, ServicePromise]
    service_tasks: list[ServiceTask] = Field(min_length=1)
    office_hours: OfficeHours
    live_chat: LiveChat = LiveChat()
    contact_numbers: dict[str, ContactNumber] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        names = [m.fi for m in self.municipalities]
        if len(set(names)) != len(names):
            raise ValueError("municipalities: a Finnish name is listed twice")
        owner: dict[str, str] = {}
        for municipality in self.municipalities:
            for name in [municipality.fi, municipality.sv, *municipality.aliases]:
                folded = name.casefold()
                if owner.get(folded, municipality.fi) != municipality.fi:
                    raise ValueError(
                        f"municipalities: {name!r} is a name of both {owner[folded]} and "
                        f"{municipality.fi}"
                    )
                owner[folded] = municipality.fi
        missing_areas = set(SERVICE_AREAS) - set(self.service_areas)
        if missing_areas:
            raise ValueError(f"service_areas: missing {sorted(missing_areas)}")
        ids = [task.id for task in self.service_tasks]
        if len(set(ids)) != len(ids):
            raise ValueError("service_tasks: an id is listed twice")
        if sum(task.general for task in self.service_tasks) != 1:
            raise ValueError("service_tasks: exactly one task must be marked general: true")
        if sum(task.feedback for task in self.service_tasks) > 1:
            raise ValueError("service_tasks: at most one task may be marked feedback: true")
        routes: dict[tuple[str, str], str] = {}
        for index, task in enumerate(self.service_tasks):
            where = f"service_tasks.{index} ({task.id})"
            if task.promise not in self.service_promises:
                raise ValueError(f"{where}.promise: unknown promise {task.promise!r}")
            for name in task.municipalities:
                if name not in names:
                    raise ValueError(f"{where}.municipalities: unknown municipality {name!r}")
                if task.service_area is not None:
                    key = (task.service_area, name)
                    if key in routes:
                        raise ValueError(
                            f"{where}: {task.service_area} in {name} is already routed to "
                            f"{routes[key]}"
                        )
                    routes[key] = task.id
        return self
