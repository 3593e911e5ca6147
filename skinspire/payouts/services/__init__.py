"""Payout writes, by subdomain. Import from the submodule: `from skinspire.payouts.services.accounts import ...`."""
