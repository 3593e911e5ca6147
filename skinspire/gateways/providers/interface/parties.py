"""Who is paid or who pays, and where the money goes."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Customer:
    name: str
    email: str = ""
    phone: str = ""
    customer_id: str = ""  # our id for the person (Paytm custId)


@dataclass(frozen=True)
class BankAccount:
    holder_name: str
    ifsc: str
    account_number: str


@dataclass(frozen=True)
class UpiAddress:
    holder_name: str
    vpa: str


Destination = BankAccount | UpiAddress
