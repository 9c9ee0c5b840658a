"""What every capability shares: errors (each with its HTTP status and exit code), access
decisions, roles, ports, the use-case context, presentation, storage, and the web and CLI
plumbing the shells install."""
