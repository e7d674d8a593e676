"""Q&A: the public question-and-answer section (the real work arrives with its own issue)."""
