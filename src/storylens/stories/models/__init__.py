"""Fitted story-clustering settings (``stories-v1.json``), shipped with the package."""
