"""Watching shared folders: scanning, stability, the inbox and its suggestions."""
