"""A person's own data: the personal export, and retention, which deletes finished conversations after the
set periods."""
