import type { AuditEvent, AuditEventAgent, AuditEventEntity, Bundle, Coding, FhirResource } from 'fhir/r4';

/**
 * An audit event as a FHIR R4 AuditEvent in the shape of IHE Basic Audit Log Patterns (BALP,
 * https://profiles.ihe.net/ITI/BALP/) (AUD-5): type and subtype, action (C/R/U/D/E), recorded,
 * outcome, the user as agent (who with display, role, purpose of use from the access basis,
 * network address where the event holds one), the application as source observer, the patient as
 * entity (role 1 / type Person) and the object acted on as a second entity. The mapping is
 * documented in docs/adr/0016-fhir-exports.md. A shared piece: it knows FHIR, not the database.
 */
export interface StoredAuditEvent {
  id: string;
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
  outcome: string;
  reason: string | null;
  patient_id: string | null;
  object_type: string | null;
  object_id: string | null;
  basis: string | null;
  client_ip: string | null;
  details: Record<string, unknown>;
}

export const JOURNALKONTOR_SYSTEM = 'https://journalkontor.no/fhir';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';

/**
 * The purpose of use of an access basis (HL7 v3 ActReason): care is TREAT, break-glass is ETREAT
 * (emergency treatment), a data-subject request is PATRQT (patient requested), the person's own
 * data PATRQT too. Anything else (administration, the DPO's control) has no basis of access to a
 * journal and is HOPERAT (healthcare operations) when it concerns a patient, else left out.
 */
export const PURPOSE_OF_BASIS: Record<string, { code: string; display: string }> = {
  treatment_relationship: { code: 'TREAT', display: 'treatment' },
  read_share: { code: 'TREAT', display: 'treatment' },
  break_glass: { code: 'ETREAT', display: 'Emergency Treatment' },
  dsr_case: { code: 'PATRQT', display: 'patient requested' },
  own_data: { code: 'PATRQT', display: 'patient requested' },
};

/**
 * BALP action: C create, R read/view/print/export, U update, D delete, E execute (a search or query).
 * Read from the action name's last word; unknown verbs are E (something was done).
 */
export function balpAction(action: string): 'C' | 'R' | 'U' | 'D' | 'E' {
  const verb = action.split('.').at(-1) ?? '';
  if (/^(searched|looked_up|computed|verified|started|queried)$/.test(verb)) return 'E';
  if (/(read|opened|viewed|exported|printed|downloaded|listed)$/.test(verb)) return 'R';
  if (/^(created|registered|prepared|recorded|added|invited|granted|set|booked|imported|planned)$/.test(verb)) return 'C';
  if (/^(deleted|removed|erased|anonymised|purged|revoked|withdrawn|lifted)$/.test(verb)) return 'D';
  if (/(updated|changed|signed|amended|closed|reopened|reviewed|saved|released|redacted|extended|verified|assigned|ended|cancelled|completed)$/.test(verb)) return 'U';
  return 'E';
}

/** BALP/DICOM event type: Export, Query, Patient Record, or Application Activity for the rest. */
function eventType(action: string, isPatient: boolean): Coding {
  const verb = action.split('.').at(-1) ?? '';
  if (/exported|printed|downloaded/.test(verb)) return { system: DCM, code: '110106', display: 'Export' };
  if (/searched|looked_up/.test(verb)) return { system: DCM, code: '110112', display: 'Query' };
  if (action.startsWith('auth.')) return { system: DCM, code: '110114', display: 'User Authentication' };
  if (isPatient) return { system: DCM, code: '110110', display: 'Patient Record' };
  return { system: DCM, code: '110100', display: 'Application Activity' };
}

const RESTFUL_OF_ACTION: Record<string, string> = { C: 'create', R: 'read', U: 'update', D: 'delete', E: 'search' };

/** The patients a list showed (AUD-6 `shownPatientIds`), at most this many as entities per event. */
const MAX_SHOWN_PATIENT_ENTITIES = 1000;

export function toAuditEvent(event: StoredAuditEvent): AuditEvent {
  const action = balpAction(event.action);
  const shown = Array.isArray(event.details.shownPatientIds) ? (event.details.shownPatientIds as unknown[]).filter((id): id is string => typeof id === 'string') : [];
  const patientIds = [...new Set([...(event.patient_id ? [event.patient_id] : []), ...shown])].slice(0, MAX_SHOWN_PATIENT_ENTITIES);
  const purpose = event.basis ? PURPOSE_OF_BASIS[event.basis] : undefined;

  const user: AuditEventAgent = {
    type: { coding: [{ system: PARTICIPATION, code: 'IRCP', display: 'information recipient' }] },
    role: [
      ...event.user_roles.map((role) => ({ coding: [{ system: `${JOURNALKONTOR_SYSTEM}/CodeSystem/role`, code: role }] })),
      ...(event.profession ? [{ coding: [{ system: `${JOURNALKONTOR_SYSTEM}/CodeSystem/profession`, code: event.profession }] }] : []),
    ],
    who: event.user_id
      ? { reference: `Practitioner/${event.user_id}`, ...(event.user_display_name ? { display: event.user_display_name } : {}) }
      : { display: 'anonymous' },
    ...(event.session_id ? { altId: event.session_id } : {}),
    requestor: true,
    ...(event.auth_method ? { policy: [`${JOURNALKONTOR_SYSTEM}/auth-method/${encodeURIComponent(event.auth_method)}`] } : {}),
    ...(event.client_ip ? { network: { address: event.client_ip, type: '2' } } : {}),
    ...(purpose
      ? { purposeOfUse: [{ coding: [{ system: ACT_REASON, ...purpose }], text: event.basis ?? undefined }] }
      : patientIds.length > 0
        ? { purposeOfUse: [{ coding: [{ system: ACT_REASON, code: 'HOPERAT', display: 'healthcare operations' }] }] }
        : {}),
  };
  const agents: AuditEventAgent[] = [user];
  if (event.device_id) {
    agents.push({
      type: { coding: [{ system: DCM, code: '110153', display: 'Source Role ID' }] },
      who: { identifier: { system: `${JOURNALKONTOR_SYSTEM}/device`, value: event.device_id } },
      requestor: false,
    });
  }

  const entities: AuditEventEntity[] = patientIds.map((patientId) => ({
    what: { reference: `Patient/${patientId}` },
    type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
    role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
  }));
  if (event.object_type) {
    entities.push({
      what: { identifier: { system: `${JOURNALKONTOR_SYSTEM}/object/${event.object_type}`, ...(event.object_id ? { value: event.object_id } : {}) } },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
      ...(Object.keys(event.details).length > 0 ? { detail: [{ type: 'details', valueString: JSON.stringify(event.details) }] } : {}),
    });
  }

  return {
    resourceType: 'AuditEvent',
    id: `ae-${event.id}`,
    type: eventType(event.action, patientIds.length > 0),
    subtype: [
      { system: `${JOURNALKONTOR_SYSTEM}/CodeSystem/audit-action`, code: event.action },
      { system: RESTFUL, code: RESTFUL_OF_ACTION[action] },
    ],
    action,
    recorded: event.occurred_at.toISOString(),
    // 0 success; 4 minor failure: a refusal is the system working as meant, not a fault.
    outcome: event.outcome === 'allowed' ? '0' : '4',
    ...(event.reason ? { outcomeDesc: event.reason } : {}),
    agent: agents,
    source: {
      ...(event.organisation_id ? { site: event.organisation_id } : {}),
      observer: { display: 'Journalkontor', ...(event.organisation_id ? { identifier: { system: `${JOURNALKONTOR_SYSTEM}/organisation`, value: event.organisation_id } } : {}) },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    ...(entities.length > 0 ? { entity: entities } : {}),
  };
}

/** A Bundle of type collection around resources (AUD-5, DPO-5). */
export function collectionBundle<T extends FhirResource>(id: string, timestamp: Date, resources: readonly T[]): Bundle<T> {
  return {
    resourceType: 'Bundle',
    id,
    type: 'collection',
    timestamp: timestamp.toISOString(),
    entry: resources.map((resource) => ({ fullUrl: `${JOURNALKONTOR_SYSTEM}/${resource.resourceType}/${resource.id ?? ''}`, resource })),
  };
}
