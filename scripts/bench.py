#!/usr/bin/env python3
"""The benchmark (`make bench`): latency, throughput and peak memory through the public API and
straight to Rasa, with one and two Rasa replicas; kill -9 of a replica and of the handoff service
under load. Prints figures (docs/benchmark.md); not a test. `--help` lists the options."""

from gevent import monkey

# Locust's residents are greenlets: patch the standard library before anything opens a socket.
monkey.patch_all()

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
