"""Incidents: recorded against a system, classified under the EU AI Act (Art. 3(49)), with
the reporting clock of Art. 73, escalation, frozen evidence, suspension through the lifecycle,
corrective actions and reports to authorities."""
