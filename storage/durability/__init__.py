"""Floor 2 wing: keeping the archive safe — backup and restore, verify and repair, trash and
purge, the audit log reader, migration between back ends."""
