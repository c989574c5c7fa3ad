"""Residents' ratings and comments at the end of a conversation."""
