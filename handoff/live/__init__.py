"""Live hand-off: a resident connected to an advisor in the same chat window, in real time."""
