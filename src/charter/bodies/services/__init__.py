"""Use cases of leadership bodies and their agendas."""
