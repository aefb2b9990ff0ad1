"""Floor 0 of storage: errors, progress, words, paths and the guarded file I/O that
exporters may use too. No SQLAlchemy, nothing of ours above it."""
