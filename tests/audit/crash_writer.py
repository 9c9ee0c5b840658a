"""A process that makes audited writes and prints each one after its commit returned.

    python -m tests.audit.crash_writer URL KEYFILE TAG [COUNT]

Prints `ack <unit name>` per acknowledged write; signs a checkpoint every 7 writes. Runs
forever without COUNT (the crash tests kill it).
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from charter.accountability.services import org
from charter.audit import services as audit
from charter.bootstrap import context_for
from charter.identity.services import access
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade

ADMIN = "admin@example.org"


def main() -> None:
    url, key, tag = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else None
    engine = make_engine(url)
    if tag == "migrate":  # schema, administrator and a first checkpoint before any kill
        upgrade(engine)
        ctx = context_for(engine, key_file=key)
        access.initialise(ctx, "Ada Admin", ADMIN)
        # a log no checkpoint signs cannot be verified: sign one now, so the check after a
        # kill does not depend on how many writes the writer made before it (machine speed)
        audit.make_checkpoint(ctx, access.actor_for(ctx, ADMIN))
        return
    ctx = context_for(engine, key_file=key)
    admin = access.actor_for(ctx, ADMIN)
    for i in itertools.count() if count is None else range(count):
        name = f"{tag}-{i}"
        org.create_unit(ctx, admin, name)
        sys.stdout.write(f"ack {name}\n")
        sys.stdout.flush()
        if i % 7 == 6:
            audit.make_checkpoint(ctx, admin)


if __name__ == "__main__":
    main()
