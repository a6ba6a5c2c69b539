"""The small building blocks every screen uses, in one place: labels (labels.py), restyling
after a theme property changes (style.py), a message shown in its panel (notices.py), widgets
that keep their place (steady.py), a page that scrolls (scroll.py), buttons that keep Space
(keep_space.py), Enter pressing the focused button (enter_key.py) and the mouse-wheel guard
(wheel_guard.py)."""
