"""The REST API under /api/v1/: its routes, views and serializers."""
