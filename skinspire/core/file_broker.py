"""kombu's filesystem transport (`make run`'s broker without Redis), publishing each message whole.

kombu's own `_put` creates the message file in the queue folder, then locks it and writes
it. A worker polling the folder in between (every 0.05 s, settings/celery.py) moved the
still-empty file away and read nothing: the JSON decoding raised in the consumer loop, the
worker exited, honcho stopped the whole of `make run`, and the message was lost
(bench/soak_embedded.py found it). Here the message is written under a name the consumer
skips (it takes only `<name>.<queue>.msg`), then renamed into place: a rename within one
folder is atomic, so any file the consumer sees is whole.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        # kombu's file name: milliseconds first, so the consumer's sorted listing is oldest first.
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f"partial-{name}.tmp")
        body = str_to_bytes(filesystem.dumps(payload))
        try:
            with open(partial, "wb") as file:
                file.write(body)
            os.replace(partial, final)
        except OSError as error:
            raise ChannelError(f"Cannot add file {final!r} to directory") from error


class Transport(filesystem.Transport):
    Channel = Channel
