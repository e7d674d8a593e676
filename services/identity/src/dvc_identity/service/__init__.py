"""Identity's use-cases, one module per group. They never commit: the request boundary does.

Use-cases whose refusal must still leave a trace (a failed login counts towards the lock, a reused
refresh token revokes its family) return the `Problem` instead of raising it, so the caller commits
first and raises afterwards.
"""
