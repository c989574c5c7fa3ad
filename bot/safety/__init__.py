"""What counts as a danger in a resident's message and what follows from it (issue 15): the
curated terms of bot/lexicon/safety.yml, read clause by clause with their time and reporting
context, and the model's reading of each sentence, decided in one place (`decision.py`)."""
