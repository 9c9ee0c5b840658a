"""The web UI's fixture (a signed-in client over a populated organisation), for the tests of
the strategy pages."""

from tests.web.test_ui import ui  # noqa: F401 (a fixture)
