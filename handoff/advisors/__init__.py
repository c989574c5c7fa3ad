"""Advisors, their teams and the service tasks the teams own; console sessions and the audit log."""
