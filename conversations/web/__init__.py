"""The HTML pages: their routes, views, forms and page reads."""
