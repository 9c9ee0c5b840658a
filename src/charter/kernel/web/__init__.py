"""Web plumbing every capability's API and pages share: request dependencies, page
rendering and security, charts, request-body conventions."""
