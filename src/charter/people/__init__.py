"""Talent and AI literacy, adoption and change."""
