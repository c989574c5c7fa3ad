"""The Rasa project. bot.components holds Neuvo's own NLU components (imported by Rasa)."""
