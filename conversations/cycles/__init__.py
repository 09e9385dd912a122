"""HR's rounds of conversations (cycles) and the templates their conversations start from."""
