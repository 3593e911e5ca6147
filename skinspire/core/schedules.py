"""Periodic tasks, defined in code (HackSoft's setup_periodic_tasks).

`manage.py setup_periodic_tasks` creates or updates these django-celery-beat entries;
admins may then change their schedules in admin, and the command keeps their edits.
Each entry: name, dotted task path, and either a crontab dict or an interval in seconds.
"""

PERIODIC_TASKS: list[dict] = [
    # Appended to by the apps that own the tasks, e.g.
    # {"name": "...", "task": "skinspire.x.tasks.y", "crontab": {"minute": "0", "hour": "2"}},
    # {"name": "...", "task": "skinspire.x.tasks.z", "every_seconds": 60},
]

PERIODIC_TASKS += [
    {
        "name": "sandbox: retry failed webhook deliveries",
        "task": "skinspire.sandbox.tasks.sandbox_webhook_retry_due",
        "every_seconds": 60,
    },
]

PERIODIC_TASKS += [
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
]

PERIODIC_TASKS += [
    {
        "name": "sandbox paytm: expire payment links",
        "task": "skinspire.sandbox.paytm.tasks.sandbox_paytm_links_expire_due",
        "every_seconds": 300,
    },
]
