"""Shared platform code: settings, database, outbox/inbox, broker, telemetry, blobs, time rules."""
