"""The PySide6 front end of HotDash Role-Play."""
