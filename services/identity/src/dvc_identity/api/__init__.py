"""Identity's HTTP routes (thin: parse, call one use-case, map the result)."""
