"""New session: the setup screen and its parts, one widget a file."""
