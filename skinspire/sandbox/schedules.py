"""The sandbox's periodic tasks, created by `setup_periodic_tasks` only where the sandbox is
installed (development and tests), never in production."""

from skinspire.core.schedules import PeriodicTaskDefinition

PERIODIC_TASKS: list[PeriodicTaskDefinition] = [
    {
        "name": "sandbox: retry failed webhook deliveries",
        "task": "skinspire.sandbox.tasks.sandbox_webhook_retry_due",
        "every_seconds": 60,
    },
    {
        "name": "sandbox razorpay: daily T+1 settlements",
        "task": "skinspire.sandbox.razorpay.tasks.sandbox_razorpay_settlements_daily",
        "crontab": {"minute": "30", "hour": "9"},
    },
    {
        "name": "sandbox razorpay: expire payment links",
        "task": "skinspire.sandbox.razorpay.tasks.sandbox_razorpay_payment_links_expire",
        "every_seconds": 300,
    },
    {
        "name": "sandbox razorpay: expire payout links",
        "task": "skinspire.sandbox.razorpay.tasks.sandbox_razorpay_payout_links_expire",
        "every_seconds": 300,
    },
    {
        "name": "sandbox paytm: expire payment links",
        "task": "skinspire.sandbox.paytm.tasks.sandbox_paytm_links_expire_due",
        "every_seconds": 300,
    },
]
