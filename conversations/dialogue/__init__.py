"""The rules of the year-round dialogue around the contract: who answers a question and who marks a
promise."""
