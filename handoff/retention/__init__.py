"""Retention: purging transcripts, closed tickets and other personal data after their period."""
