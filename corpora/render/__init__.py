"""Render evaluation and activity reports to PDF: the sample corpus and the layout variants tests read."""
