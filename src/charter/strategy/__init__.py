"""Strategy alignment: objectives, use-case intake, scoring, roadmap, KPIs and value, and the
agile delivery of use cases (iterations and experiments)."""
