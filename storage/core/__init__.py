"""Floor 1 of storage: the archive itself — opening and locking it (archive), the database
engine and its SQLite-only code (db), the content-addressed file store (filestore), the audit
trail (audit), schema migrations (migrate) and the PostgreSQL back end (server,
server_copy)."""
