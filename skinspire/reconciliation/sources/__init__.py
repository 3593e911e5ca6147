"""Our rows for the engine, read from the apps that move money (DESIGN: reconciliation may
import payouts and collections). Registered in ReconciliationConfig.ready()."""
