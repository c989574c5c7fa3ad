"""Neuvo's Rasa action server package. Nothing here touches the network at import time."""
