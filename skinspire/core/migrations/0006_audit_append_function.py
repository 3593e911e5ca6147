"""core_audit_append(entries): append audit entries to their chains in one statement.

The chain lock is held from the append until the commit (docs/security.md, "Concurrent
writers"). Locking, reading the head and inserting from Python costs three round trips
while the lock is held, each of them a wait for a busy client thread; this function does
all of it in one, so the lock is held for one call and the COMMIT.

It takes a JSON array of entries, each with its column values and its canonical JSON cut
where the previous hash and the position go (skinspire.core.audit.chain.canonical_parts):
the hash is SHA-256 over exactly the text Python would hash, so `verify_audit_log`
checks these entries as it checks any other. Chains are locked in name order (no deadlock
between two appenders); in READ COMMITTED each statement of the function takes a new
snapshot, so the head is read after the lock is granted. PostgreSQL only: SQLite appends
from Python (one writer at a time there anyway).
"""

from django.db import migrations

APPEND_FUNCTION = """
CREATE OR REPLACE FUNCTION core_audit_append(entries jsonb)
RETURNS TABLE (entry_id bigint, entry_sequence bigint, entry_previous_hash varchar, entry_hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    chain_name text;
    item jsonb;
    head_sequence bigint;
    head_hash varchar;
BEGIN
    FOR chain_name IN SELECT DISTINCT element->>'chain' FROM jsonb_array_elements(entries) AS element ORDER BY 1
    LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended('skinspire.audit:' || chain_name, 0));
    END LOOP;
    FOR item IN SELECT element FROM jsonb_array_elements(entries) WITH ORDINALITY AS list(element, position)
                ORDER BY position
    LOOP
        SELECT audit.sequence, audit.entry_hash INTO head_sequence, head_hash
            FROM core_auditentry AS audit WHERE audit.chain = item->>'chain'
            ORDER BY audit.sequence DESC LIMIT 1;
        IF NOT FOUND THEN
            head_sequence := 0;
            head_hash := repeat('0', 64);
        END IF;
        entry_sequence := head_sequence + 1;
        entry_previous_hash := head_hash;
        entry_hash := encode(sha256(convert_to(
            (item->>'prefix') || head_hash || (item->>'middle') || entry_sequence::text || (item->>'suffix'),
            'UTF8')), 'hex');
        INSERT INTO core_auditentry (
            chain, sequence, created_at, action, actor_id, actor_username, hospital_id,
            content_type_id, object_id, object_repr, changes, ip_address, message,
            previous_hash, entry_hash
        ) VALUES (
            item->>'chain', entry_sequence, (item->>'created_at')::timestamptz, item->>'action',
            (item->>'actor_id')::bigint, item->>'actor_username', (item->>'hospital_id')::bigint,
            (item->>'content_type_id')::integer, item->>'object_id', item->>'object_repr',
            item->'changes', item->>'ip_address', item->>'message', entry_previous_hash, entry_hash
        ) RETURNING id INTO entry_id;
        RETURN NEXT;
    END LOOP;
END;
$$;
"""


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_FUNCTION, params=None)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS core_audit_append(jsonb);")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_auth_hardening")]

    operations = [migrations.RunPython(create_function, drop_function)]
