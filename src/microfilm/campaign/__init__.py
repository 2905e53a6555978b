"""Campaigns: one base film made into variants per platform, aspect, cut and language.

campaign.toml (spec.py) names the base and the matrix; plan.py expands it and checks each
variant against its platform; derive.py writes each variant as a film folder sharing the
base's asset store; make.py makes them; budget.py prices them before any call; status.py
is campaign.json, what the CLI and the studio show. See docs/campaigns.md.
"""
