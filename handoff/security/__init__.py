"""The service's protections as ASGI middleware: rate limits, widget-only CORS, security headers,
and client addresses behind trusted proxies (wired in by handoff.security.setup)."""
