"""Wagtail's chooser widgets under the site's Content-Security-Policy.

Wagtail's `BaseChooser.render` writes the widget followed by an inline script that starts it
(`new ImageChooser("id_main_image", {...})`), which the policy refuses: an editor could not choose an
article's image. `start_choosers_without_inline_scripts()` (called by the app's `ready()`) makes it
write the same call as data on a hidden element instead, which `news/static/news/csp-init.js` starts.
"""

import json

from django.utils.html import format_html
from wagtail.admin.widgets import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser


def _render(self, name, value, attrs=None, renderer=None):
    try:
        target = attrs["id"]
    except (KeyError, TypeError) as e:  # as Wagtail's own render: a chooser needs its id
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
    value_data = self.get_value_data(value)
    if isinstance(self, AdminTaskChooser):
        start, config = "createTaskChooser", {}
    else:
        start, config = self.js_constructor, self.get_js_init_options(target, name, value_data)
    return format_html(
        '{}<span hidden data-cchc-init="{}" data-cchc-target="{}" data-cchc-config="{}"></span>',
        self.render_html(name, value_data, attrs),
        start,
        target,
        json.dumps(config),
    )


def start_choosers_without_inline_scripts() -> None:
    BaseChooser.render = _render
