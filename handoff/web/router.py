"""The demo county page (/ in Finnish, /sv/ in Swedish) and the widget's UI strings."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from handoff.deps import CountyDep
from handoff.texts import LANGUAGES, resident_text, text_keys
from handoff.web.templating import templates

router = APIRouter(tags=["web"])
WIDGET_PREFIX = "widget_"


def widget_strings(language: str) -> dict[str, str]:
    """Every `widget_*` text in one language, without the prefix."""
    return {
        key.removeprefix(WIDGET_PREFIX): resident_text(key, language)
        for key in text_keys(WIDGET_PREFIX)
    }


@router.get("/api/v1/widget/texts", tags=["resident chat"])
def get_widget_texts() -> dict[str, dict[str, str]]:
    """The chat widget's UI strings in Finnish and Swedish."""
    return {language: widget_strings(language) for language in LANGUAGES}


def _demo_page(request: Request, county: CountyDep, language: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "demo.html",
        {
            "lang": language,
            "county_name": county.county.name(language),
            "website": county.county.website(language),
            "other_language_url": "/" if language == "sv" else "/sv/",
            "strings": widget_strings(language),
        },
    )


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def demo_page_fi(request: Request, county: CountyDep) -> HTMLResponse:
    return _demo_page(request, county, "fi")


@router.get("/sv/", response_class=HTMLResponse, include_in_schema=False)
def demo_page_sv(request: Request, county: CountyDep) -> HTMLResponse:
    return _demo_page(request, county, "sv")
