"""Stage 1, a report's text: read a file (``ingest``), clean it, cut it into sentences and words,
and the lexicons the later stages read their rules from."""
