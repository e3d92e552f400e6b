"""Learning: tracks, modules and reading progress."""
