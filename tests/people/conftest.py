"""The web UI's fixture (a signed-in client over a populated organisation), for the tests of
the talent and adoption forms."""

from tests.web.test_ui import ui  # noqa: F401 (a fixture)
