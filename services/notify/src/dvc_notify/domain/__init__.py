"""Pure notification rules: what to say, in Vietnamese."""
