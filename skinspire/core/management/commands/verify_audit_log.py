"""Walk every audit chain and name the first broken link of each; exit 1 if any is broken.

An intact chain prints its length and head hash. Keep the head hashes somewhere outside
this database (a ticket, an e-mail): a chain whose newest entries were removed is still
internally consistent, and only a head recorded earlier shows that it grew shorter.
"""

from django.core.management.base import BaseCommand, CommandError

from skinspire.core.audit.chain import all_chains, chain_verify
from skinspire.core.text import counted


class Command(BaseCommand):
    help = "Verify the audit log's hash chains; name the first broken link of each chain."

    def add_arguments(self, parser):
        parser.add_argument("--chain", action="append", help='Only this chain ("global", "hospital:<id>").')

    def handle(self, *args, chain: list[str] | None, **options):
        broken = 0
        for name in chain or all_chains():
            report = chain_verify(name)
            if report.broken is not None:
                broken += 1
                self.stderr.write(f"BROKEN {name}: {report.broken.describe()}")
                verify = "verifies" if report.entries == 1 else "verify"
                self.stderr.write(
                    f"  {counted(report.entries, 'entry', 'entries')} before it {verify}; "
                    f"the chain is intact up to {report.head_hash}"
                )
                continue
            self.stdout.write(
                f"ok {name}: {counted(report.entries, 'entry', 'entries')}, head {report.head_hash}"
            )
        if broken:
            raise CommandError(f"{counted(broken, 'audit chain')} broken; see above.")
        self.stdout.write(self.style.SUCCESS("Every audit chain verifies."))
