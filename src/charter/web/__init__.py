"""Web interface: the REST API (and, later, the UI). Routes parse, call one service, present."""
