"""Collections writes. Import from the submodules: `from skinspire.collections.services.bills import bill_create`."""
