"""The benchmark behind `make bench` (scripts/bench.py): latency, throughput and memory of the
running system, and what residents see when a Rasa replica or the handoff service is killed.

Only `load` imports Locust (and with it gevent); the other modules stay importable by the tests.
"""
