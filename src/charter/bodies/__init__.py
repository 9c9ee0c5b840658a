"""Leadership bodies: members, meetings, agendas and decisions."""
