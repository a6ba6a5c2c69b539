"""The app's data files (scenarios, checklist, fonts, theme, observer page).

Installed as the package ``hotdash_roleplay.resources`` (see pyproject.toml) so that
``importlib.resources`` finds them in an editable install, a wheel and the desktop bundle alike.
"""
