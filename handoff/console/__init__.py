"""The advisor console: server-rendered pages over the tickets, advisors and live services."""
