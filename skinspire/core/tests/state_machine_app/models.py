from django.db import models

from skinspire.core.state_machine import StateMachine


class TrialPayout(models.Model):
    """Shaped like a gateway payout: the lifecycle the first real tables will have."""

    state_machine = StateMachine(
        ranks={"queued": 0, "processing": 1, "processed": 2, "failed": 2, "cancelled": 2, "reversed": 3},
        moves={
            "queued": {"processing", "processed", "failed", "cancelled"},
            "processing": {"processed", "failed"},
            "processed": {"reversed"},
        },
        final={"failed", "cancelled", "reversed"},
    )

    reference = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=state_machine.choices, default="queued")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.reference
