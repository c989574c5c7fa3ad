"""Jinja2 templates with autoescaping on (residents' text must never become markup)."""

from pathlib import Path

from fastapi.templating import Jinja2Templates

HANDOFF_DIR = Path(__file__).resolve().parents[1]
STATIC_DIR = HANDOFF_DIR / "web" / "static"

templates = Jinja2Templates(
    directory=[HANDOFF_DIR / "web" / "templates", HANDOFF_DIR / "console" / "templates"]
)
