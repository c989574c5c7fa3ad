"""Neuvo handoff service: the resident chat API, conversations, tickets and the console."""
