"""Adding the protections to the app; create_app() calls these innermost first."""

from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from handoff.config import Settings
from handoff.security.cors import WidgetCORSMiddleware
from handoff.security.headers import SecurityHeadersMiddleware
from handoff.security.ratelimit import RateLimitMiddleware, RateLimits


def add_rate_limits(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(
        RateLimitMiddleware,
        limits=RateLimits(
            conversations_per_ip=settings.rate_limit_conversations_per_ip,
            messages_per_ip=settings.rate_limit_messages_per_ip,
            messages_per_conversation=settings.rate_limit_messages_per_conversation,
            logins_per_ip=settings.rate_limit_logins_per_ip,
        ),
    )


def add_cors(app: FastAPI, settings: Settings) -> None:
    """Cross-origin access to the resident chat API for the configured origins (none: off)."""
    if settings.cors_origins:
        app.add_middleware(WidgetCORSMiddleware, origins=settings.cors_origins)


def add_security_headers(app: FastAPI) -> None:
    app.add_middleware(SecurityHeadersMiddleware)


def add_trusted_proxies(app: FastAPI, settings: Settings) -> None:
    """Believe X-Forwarded-For/-Proto only from the configured proxies (none: from no one)."""
    if settings.trusted_proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
