"""Writes of the Paytm sandbox, one module per Paytm product."""
