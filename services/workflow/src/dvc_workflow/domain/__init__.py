"""Pure workflow rules."""
