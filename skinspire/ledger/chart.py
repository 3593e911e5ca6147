"""The default chart of accounts every hospital starts with."""

from dataclasses import dataclass

from skinspire.ledger.errors import LedgerError
from skinspire.ledger.models import AccountType

BANK = "1000"
RAZORPAY_CLEARING = "1100"
PAYTM_CLEARING = "1110"
PATIENT_RECEIVABLES = "1200"
GST_INPUT = "1300"
ACCOUNTS_PAYABLE = "2000"
REFUNDS = "4900"
GATEWAY_FEES = "5000"

# Keyed by the gateways app's Provider values. Hard-coded rather than read from
# skinspire.gateways.models.Provider because the ledger depends on core only (DESIGN.md);
# a new provider adds its clearing account here and in a data migration.
CLEARING_ACCOUNT_BY_PROVIDER = {"razorpay": RAZORPAY_CLEARING, "paytm": PAYTM_CLEARING}


@dataclass(frozen=True)
class AccountDefinition:
    code: str
    name: str
    type: str


DEFAULT_ACCOUNTS = (
    AccountDefinition(BANK, "Bank", AccountType.ASSET),
    AccountDefinition(RAZORPAY_CLEARING, "Razorpay clearing", AccountType.ASSET),
    AccountDefinition(PAYTM_CLEARING, "Paytm clearing", AccountType.ASSET),
    AccountDefinition(PATIENT_RECEIVABLES, "Patient receivables", AccountType.ASSET),
    AccountDefinition(GST_INPUT, "GST input", AccountType.ASSET),
    AccountDefinition(ACCOUNTS_PAYABLE, "Accounts payable (suppliers)", AccountType.LIABILITY),
    # Contra-income: refunds reduce collections, so they carry a debit balance.
    AccountDefinition(REFUNDS, "Refunds", AccountType.INCOME),
    AccountDefinition(GATEWAY_FEES, "Gateway fees", AccountType.EXPENSE),
)


def clearing_account_code(provider: str) -> str:
    """The clearing account a gateway's collections and payouts pass through."""
    try:
        return CLEARING_ACCOUNT_BY_PROVIDER[provider]
    except KeyError:
        raise LedgerError(
            f"No clearing account for gateway '{provider}'.", extra={"provider": provider}
        ) from None
