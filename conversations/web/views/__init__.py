"""The HTML pages: thin views over the same services, workflow and permissions as the API."""
