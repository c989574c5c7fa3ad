"""POST /api/v1/triage: a suggested routing for a text an advisor enters (seed 002)."""

from fastapi import APIRouter

from handoff.auth.deps import AdvisorDep
from handoff.bot.client import BotUnavailable
from handoff.deps import BotDep, CountyDep, LanguagesDep, SettingsDep
from handoff.errors import Unavailable
from handoff.tickets.schemas import TriageIn, TriageOut
from handoff.triage.service import triage

router = APIRouter(prefix="/api/v1/triage", tags=["advisor API"])


@router.post(
    "", response_model=TriageOut, responses={503: {"description": "Rasa is not reachable"}}
)
def post_triage(
    body: TriageIn,
    _advisor: AdvisorDep,
    bot: BotDep,
    languages: LanguagesDep,
    county: CountyDep,
    settings: SettingsDep,
) -> TriageOut:
    """The same identification the bot uses: language, urgency, service area, municipality, task."""
    try:
        return triage(
            text=body.text,
            county=county,
            bot=bot,
            languages=languages,
            default_language=settings.default_language,
        )
    except BotUnavailable as error:
        raise Unavailable(
            "the bot's language understanding is not reachable; try again soon"
        ) from error
