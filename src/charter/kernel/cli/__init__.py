"""CLI plumbing every capability's commands share: output and exit codes, files, the
session the shell installs, talking to a server."""
