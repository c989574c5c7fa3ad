"""The turn decisions that come before any rule: danger first, staying with the resident after a
safety answer, offers kept, a common question in the middle of a form (bot/dialogue/turns.py)."""
