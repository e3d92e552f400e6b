"""Role-plays: scenarios with public briefs and secret role cards."""
