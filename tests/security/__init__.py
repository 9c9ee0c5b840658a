"""Regression tests of the controls that must not be bypassed (issue 21): each reproduces an
attack that worked once and must now be refused. docs/security.md says what they guard."""
