"""Tagging activities: the decree's six axes, links to constats, the classify command's work."""
