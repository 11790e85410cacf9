import type { Messages } from '../nb';
import { PACKAGE_FIELD_LABELS, PACKAGE_SECTION_LABELS } from '../../../../shared/dpo-package-labels';


/** English. The DPO: exports of the log and access packages (AUD-5, DPO-5). */
export const dpoExports: Pick<Messages, 'dpoExports'> = {
  dpoExports: {
    log: {
      title: 'Export the log',
      intro: 'The events of a period of at most 31 days, as JSON lines or as FHIR R4 AuditEvent (IHE BALP). The export asks for a fresh one-time code and is logged with your IP address.',
      from: 'From date',
      to: 'To date',
      format: 'Format',
      formats: { jsonl: 'JSON lines (.jsonl)', fhir: 'FHIR R4 AuditEvent (Bundle)' },
      export: 'Export',
      exported: '{{count}} events exported to {{fileName}}.',
    },
    package: {
      title: 'Access package',
      intro: 'Everything found about the person in the journal, bookings, the CRM, the corporate portal, user accounts, consents and the log of who saw the journal. Review the package and withhold what the law allows before you release it.',
      none: 'No access package has been prepared yet.',
      prepare: 'Prepare access package',
      prepareAgain: 'Prepare the package again',
      prepared: 'The access package is prepared.',
      status: { draft: 'Draft – under review', released: 'Released' },
      preparedBy: 'Prepared {{at}} by {{name}}',
      releasedAt: 'Released {{at}}',
      blockedNotes: 'Some journal notes are blocked for you and are left out. Another data protection officer must prepare the package.',
      sections: PACKAGE_SECTION_LABELS.en,
      fields: PACKAGE_FIELD_LABELS.en,
      itemCount_one: '{{count}} item',
      itemCount_other: '{{count}} items',
      empty: 'Nothing found.',
      redact: 'Withhold',
      redactTitle: 'Withhold an item',
      reason: 'Legal ground',
      confirmRedact: 'Withhold',
      cancel: 'Cancel',
      withheld: 'Withheld: {{reason}}',
      reasons: {
        gdpr_15_4_third_party: 'Data about others (GDPR art. 15(4))',
        pasjl_18_third_party: 'Data about others (Patient Records Act § 18 / Patients’ Rights Act § 5-1)',
        hpl_41_harm: 'May harm the patient’s life or health (Health Personnel Act § 41)',
        pasrl_5_1_harm: 'May harm the patient’s life or health (Patients’ Rights Act § 5-1 second paragraph)',
        other_legal_ground: 'Other legal ground',
      },
      release: 'Release the access package',
      released: 'The access package is released and can be downloaded.',
      download: 'Download {{format}}',
      formats: { json: 'JSON', fhir: 'FHIR', pdf: 'PDF' },
      downloaded: 'Saved as {{fileName}}.',
      downloadHint: 'Downloading asks for a fresh one-time code and is logged with your IP address.',
    },
    error: {
      case_closed: 'The case is closed. Access is given only while the case is open.',
      wrong_kind: 'An access package is prepared only for a request for access or data portability.',
      not_released: 'The access package must be released before it can be downloaded.',
      already_released: 'The access package is already released and cannot be changed.',
      no_such_item: 'The item is not in the package.',
      already_redacted: 'The item is already withheld.',
      no_patient: 'The case is not linked to a patient.',
    },
  },
};
