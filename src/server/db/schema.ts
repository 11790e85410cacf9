import type { ColumnType, Generated } from 'kysely';

/**
 * The database as the application sees it, written by hand next to the migrations (one file to
 * read; kysely-codegen would need a running database and the TypeScript compiler API).
 * Columns the database fills (ids, timestamps) are Generated or never insertable.
 */
type SetByDatabase<T> = ColumnType<T, never, never>;

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  organisation_number: string | null;
  is_demo: Generated<boolean>;
  created_at: SetByDatabase<Date>;
}

export interface InstallationSettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
}

export interface DB extends IdentityTables {
  organisation: OrganisationTable;
  installation_setting: InstallationSettingTable;
}

export type UserStatus = 'invited' | 'active' | 'disabled';

export interface AppUserTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  display_name: string;
  phone: string;
  profession: string | null;
  hpr_number: string | null;
  status: Generated<UserStatus>;
  password_hash: string | null;
  totp_secret_encrypted: string | null;
  totp_enrolled_at: Date | null;
  totp_last_used_step: ColumnType<string | null, number | null | undefined, number | null>;
  failed_attempts: Generated<number>;
  lockout_count: Generated<number>;
  locked_until: Date | null;
  is_locked_by_admin: Generated<boolean>;
  last_login_at: Date | null;
  created_at: SetByDatabase<Date>;
}

export interface RoleGrantTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  role: string;
  granted_at: Generated<Date>;
  granted_by: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export interface InvitationTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  token_hash: Buffer;
  sms_code_hash: Buffer;
  sms_code_attempts: Generated<number>;
  sms_verified_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

export interface RecoveryCodeTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  code_hash: Buffer;
  created_at: Generated<Date>;
  used_at: Date | null;
}

export interface LoginChallengeTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  ticket_hash: Buffer;
  device_id: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
}

export interface UserDeviceTable {
  organisation_id: string;
  user_id: string;
  device_id: string;
  first_seen_at: Generated<Date>;
  last_seen_at: Generated<Date>;
}

export type SessionEndReason = 'logout' | 'revoked' | 'expired' | 'second_factor_reset' | 'locked';

export interface SessionTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  token_hash: Buffer;
  auth_method: string;
  device_id: string | null;
  created_at: Date;
  last_seen_at: Date;
  second_factor_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: SessionEndReason | null;
}

export interface OutboxMessageTable {
  id: Generated<string>;
  organisation_id: string | null;
  channel: 'sms' | 'email';
  recipient: string;
  template: string;
  subject: string | null;
  body: string;
  created_at: Generated<Date>;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  sent_at: Date | null;
  provider: string | null;
}

export interface AuditEventTable {
  id: ColumnType<string, never, never>;
  txid: ColumnType<string, never, never>;
  organisation_id: string | null;
  occurred_at: Date;
  user_id: string | null;
  user_display_name: string | null;
  user_roles: string[];
  profession: string | null;
  session_id: string | null;
  auth_method: string | null;
  device_id: string | null;
  action: string;
  outcome: 'allowed' | 'denied';
  reason: string | null;
  patient_id: string | null;
  object_type: string | null;
  object_id: string | null;
  basis: string | null;
  client_ip: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
}

export interface AuditSealTable {
  seq: string;
  sealed_at: Generated<Date>;
  txid_from: string;
  txid_to: string;
  event_count: number;
  event_ids: string[];
  event_hashes: Buffer;
  previous_hash: Buffer;
  hash: Buffer;
}

export interface IdentityTables {
  app_user: AppUserTable;
  role_grant: RoleGrantTable;
  invitation: InvitationTable;
  recovery_code: RecoveryCodeTable;
  login_challenge: LoginChallengeTable;
  user_device: UserDeviceTable;
  session: SessionTable;
  outbox_message: OutboxMessageTable;
  audit_event: AuditEventTable;
  audit_seal: AuditSealTable;
}
