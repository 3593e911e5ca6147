from skinspire.core.errors import ApplicationError


class PaytmRejected(ApplicationError):
    """A request the sandbox answers with one of Paytm's failure codes (HTTP 200, as Paytm).

    `status` overrides the failure status word of the API family when it is not the
    family's usual one (e.g. PENDING for a refund Paytm is still deciding).
    """

    def __init__(self, code: str, message: str, *, status: str = "", merchant=None):
        super().__init__(message, {"code": code})
        self.code = code
        self.status = status
        # Known when the MID was valid: Paytm still signs its answer with the merchant's key.
        self.merchant = merchant
