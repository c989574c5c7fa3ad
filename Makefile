# Neuvo: `make run` sets up and runs everything; `make test` sets up and runs every test.
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false

SERVICE_PY := .venv/bin/python
BOT := .venv-bot/bin
# Rasa's dependencies print pages of deprecation warnings that say nothing about Neuvo.
RASA_QUIET := PYTHONWARNINGS=ignore SQLALCHEMY_SILENCE_UBER_WARNING=1

.PHONY: run test setup browser train reload migrate lint test-service test-actions test-bot test-e2e validate nlu-report nlu-compare bench check-content check-county screenshots lock clean

run: setup  ## set up, train if needed, start all three processes, print the URL
	$(SERVICE_PY) scripts/neuvo.py run

test: setup browser check-content train lint validate test-service test-actions test-bot nlu-report test-e2e  ## everything CI runs
	@echo "all Neuvo checks passed"

setup:  ## create or update .venv (service) and .venv-bot (Rasa) from the lock files
	@bash scripts/setup.sh

browser:  ## Debian's Chromium for the browser tests (apt-get; Playwright never downloads a browser)
	@bash scripts/browser.sh

train: setup  ## train the Rasa model if its inputs changed
	$(SERVICE_PY) scripts/neuvo.py train

reload: setup  ## train if needed and load the model into the running Rasa without downtime
	$(SERVICE_PY) scripts/neuvo.py reload

migrate: setup  ## apply the database migrations (DATABASE_URL, default SQLite under var/)
	.venv/bin/alembic upgrade head

lint: setup  ## ruff and mypy on the service and the actions
	.venv/bin/ruff check handoff actions bot tests scripts
	.venv/bin/ruff format --check handoff actions bot tests scripts
	.venv/bin/mypy handoff actions

validate: setup  ## Rasa's own check of domain, rules and NLU data
	$(RASA_QUIET) $(BOT)/rasa data validate --fail-on-warnings --config bot/config.yml --domain bot/domain \
		--data bot/data data/nlu_fi data/nlu_sv

test-service: setup  ## the handoff service on SQLite and PostgreSQL
	.venv/bin/pytest tests/handoff

test-actions: setup  ## the actions and the bilingual bot data, in the bot environment
	$(BOT)/pytest -p no:cacheprovider tests/actions tests/bot

test-bot: train  ## conversation regression stories through the trained model (user messages through NLU too)
	$(RASA_QUIET) $(BOT)/rasa test core --e2e --model models/neuvo.tar.gz --stories tests/conversations/stories \
		--fail-on-prediction-errors --out var/results/core

test-e2e: train browser  ## all three processes, through the public API and in Chromium (widget, console)
	.venv/bin/pytest tests/e2e

screenshots: train browser  ## the browser tests, copying the docs' screenshots to docs/screenshots/
	NEUVO_DOCS_SCREENSHOTS=1 .venv/bin/pytest tests/e2e/test_browser.py

nlu-report: train  ## held-out sets: fails if macro-F1 < 0.95, any intent/topic F1 < 0.80, emergency/crisis recall < 100 %
	$(RASA_QUIET) $(BOT)/python scripts/nlu_report.py --model models/neuvo.tar.gz

nlu-compare: setup  ## cross-validated comparison of NLU pipelines per language (slow; not part of test)
	$(RASA_QUIET) $(BOT)/python scripts/nlu_compare.py

bench: train  ## latency, throughput, memory; kill -9 of a Rasa replica and of the service (~11 min; not part of test)
	$(SERVICE_PY) scripts/bench.py $(BENCH_ARGS)

check-content: setup  ## FI/SV parity, duplicates, empty or long answers, links, placeholders (file:line)
	.venv/bin/python scripts/check_content.py

check-county: setup  ## validate the county configuration (NEUVO_COUNTY_FILE)
	.venv/bin/python -m handoff.county $(NEUVO_COUNTY_FILE)

lock:  ## regenerate requirements/*.lock after changing requirements/*.txt
	bash scripts/lock.sh

clean:  ## remove environments, models and local data
	rm -rf .venv .venv-bot models var
