"""The conversation's history: one row per transition or change, and what each row is about."""
