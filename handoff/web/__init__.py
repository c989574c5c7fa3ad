"""The resident-facing web: the demo county page, the widget's files and its UI strings."""
