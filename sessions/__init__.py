"""The session plans (Module 4 practice, certification assessment, 90-second drill).

Installed as the package ``hotdash_roleplay.session_plans`` (see pyproject.toml) so that
``importlib.resources`` finds them in an editable install, a wheel and the desktop bundle alike.
"""
