"""Accounts: people, roles, sign-in sessions and throttling."""
