"""The REST API (DESIGN.md "The API"). Views are thin: validate the shape, `access_*`, call a service,
serialize. Domain errors become HTTP responses in `core.api_errors`."""
