"""event-log: assigns the integrator-facing order, keeps the public history and publishes dvc.events."""
