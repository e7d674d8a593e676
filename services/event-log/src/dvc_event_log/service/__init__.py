"""Use-cases of the event log: recording (order, history, republishing), the feed, retention."""
