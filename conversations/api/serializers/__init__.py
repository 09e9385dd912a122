"""Serializers check shape only: business rules live in the services, lookups in the selectors."""
