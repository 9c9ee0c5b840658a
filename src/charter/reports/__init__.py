"""Documents generated from records (technical documentation, impact assessments, model
cards, registration payloads, monitoring plans, bias-audit summaries, management reviews, the
board pack) and decision bundles an auditor re-checks offline."""
