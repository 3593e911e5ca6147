"""What the engine gets to read: the gateway's settlement lines (fetched through the adapter,
or uploaded as the gateway's own report file) and our rows (system_sources)."""
