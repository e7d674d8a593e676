"""Pure rules of the event log: integrator credentials, cursors, producer order."""
