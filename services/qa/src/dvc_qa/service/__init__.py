"""Q&A use-cases, one module per group. They never commit: the request or message boundary does
(`runtime.transaction()`)."""
