"""Floor 2 wing: what the archive knows — evidence items and their links, duties,
departments, frameworks, ingest, the search index, county facts and the read queries (status,
dashboard)."""
