/**
 * Every audit action the product writes (AUD-1), in one list so a test can check that each
 * procedure declares only known actions, and so the DPO's filters can offer them. Names are
 * `domain.object.verb`; outcome (allowed / denied) is a separate field.
 */
export const AUDIT_ACTIONS = [
  // Login and sessions (AUTH-1…7)
  'auth.login.success',
  'auth.login.failure',
  'auth.login.new_device',
  'auth.lockout',
  'auth.logout',
  'auth.session.expired',
  'auth.session.unlocked',
  'auth.session.unlock_failed',
  'auth.step_up',
  'auth.step_up.failed',
  'auth.second_factor.sms_verified',
  'auth.second_factor.enrolled',
  'auth.recovery_code.used',
  'auth.invitation.opened',
  'auth.invitation.sms_verified',
  'auth.invitation.accepted',
  // Administration of users and roles
  'admin.user.invited',
  'admin.user.list',
  'admin.user.locked',
  'admin.user.unlocked',
  'admin.user.sessions_revoked',
  'admin.user.second_factor_reset',
  'admin.user.roles_changed',
  // Patients and the journal (JRN-1…5, AUD-6)
  'patient.registered',
  'patient.updated',
  'patient.search',
  'journal.record.opened',
  'journal.notes.read',
  'journal.note.history_read',
  'journal.note.draft_created',
  'journal.note.draft_saved',
  'journal.note.signed',
  'journal.note.amended',
  'journal.note.correction_refused',
  'journal.note.deleted',
  'journal.deletions.read',
  'journal.printed',
  // Consultations and the clinician's start page (JRN-6, AUD-6)
  'consultation.booked',
  'consultation.moved',
  'consultation.cancelled',
  'consultation.calendar.read',
  'start.page.read',
  'journal.template.updated',
  // Home-visit dispatch (VIS-1…4) and retention runs (AUD-1)
  'visit.booking.received',
  'visit.booking.created',
  'visit.board.read',
  'visit.booking.read',
  'visit.booking.assigned',
  'visit.booking.reassigned',
  'visit.booking.unassigned',
  'visit.booking.accepted',
  'visit.booking.rejected',
  'visit.booking.returned',
  'visit.booking.en_route',
  'visit.booking.arrived',
  'visit.booking.completed',
  'visit.booking.cancelled',
  'visit.booking.patient_linked',
  'visit.booking.erased',
  'visit.exception.recorded',
  'visit.exceptions.read',
  'visit.mine.read',
  'visit.shift.created',
  'visit.retention.hold_set',
  'visit.retention.hold_lifted',
  'retention.run',
  'retention.dry_run',
  // Corporate CRM (CRM-1…3, CRM-5): every change, every list and view of contact data
  'crm.companies.read',
  'crm.company.read',
  'crm.company.created',
  'crm.company.updated',
  'crm.company.status_changed',
  'crm.contact.received',
  'crm.contact.created',
  'crm.contact.updated',
  'crm.legal_basis.recorded',
  'crm.legal_basis.withdrawn',
  'crm.legal_basis.objected',
  'crm.activity.logged',
  'crm.task.created',
  'crm.task.updated',
  'crm.task.completed',
  'crm.tasks.read',
  'crm.pipeline.read',
  'crm.contacts.listed',
  'crm.contacts.exported',
  'crm.contact.erased',
  // Corporate portal (CRM-4): agreements, employees, every view of a national identity number
  'portal.agreement.saved',
  'portal.employees.read',
  'portal.employee.created',
  'portal.employee.updated',
  'portal.employee.removed',
  'portal.employee.national_id_viewed',
  'portal.employees.imported',
  'portal.employee.erased',
  // The generic importer (uploads, validation, commits, problem-row downloads)
  'import.created',
  'import.uploaded',
  'import.inspected',
  'import.validation_started',
  'import.validated',
  'import.read',
  'import.commit_started',
  'import.committed',
  'import.cancelled',
  'import.problem_rows_exported',
  // Access: relationships, break-glass, blocks, the authorisation register (ACC-2…6)
  'access.care_team.added',
  'access.break_glass',
  'access.block.set',
  'access.block.lifted',
  'access.register.read',
  'access.register.exported',
  // Read-sharing with consent (SHR-1…3)
  'sharing.consent.recorded',
  'sharing.consent.withdrawn',
  'sharing.share.granted',
  'sharing.share.revoked',
  'sharing.overview.read',
  // The audit log itself (AUD-7, DPO-1)
  'audit.read.own',
  // Generic: a procedure refused because the role does not admit it (ACC-1, ACC-5)
  'access.denied',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Only printing, exporting and security events may store the client's IP address (AUD-2: data
 * minimisation). Security events are failed logins, lockouts, failed unlocks and failed step-ups:
 * their source address is what security monitoring needs. Later issues add their export actions here.
 */
export const ACTIONS_THAT_RECORD_CLIENT_IP: ReadonlySet<AuditAction> = new Set<AuditAction>([
  'journal.printed',
  'access.register.exported',
  'crm.contacts.exported',
  'import.problem_rows_exported',
  'auth.login.failure',
  'auth.lockout',
  'auth.session.unlock_failed',
  'auth.step_up.failed',
]);

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
