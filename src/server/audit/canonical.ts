import { sql } from 'kysely';

/**
 * The canonical form of an audit event, as one SQL expression, so the sealer and the verifier hash
 * exactly the same thing. jsonb gives a deterministic text (keys of `details` sorted); the time is
 * rendered in UTC so the session's TimeZone cannot change it. PostgreSQL computes the SHA-256, so
 * verification streams 32 bytes per event instead of the whole row.
 */
export const EVENT_HASH_SQL = sql<Buffer>`sha256(convert_to(jsonb_build_array(
  id, txid, organisation_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  user_id, user_display_name, user_roles, profession, session_id, auth_method, device_id,
  action, outcome, reason, patient_id, object_type, object_id, basis, host(client_ip), details
)::text, 'UTF8'))`;

export const GENESIS_HASH = Buffer.alloc(32);
