import type { Messages } from './nb';

export const en: Messages = {
  app: {
    name: 'Journalkontor',
    skipToContent: 'Skip to content',
    demoBadge: 'Demo',
  },
  language: {
    label: 'Language',
    nb: 'Norsk',
    en: 'English',
  },
  nav: {
    label: 'Main menu',
    toggle: 'Show or hide the menu',
    journal: 'Journal',
    visits: 'Home visits',
    crm: 'Corporate customers',
    dpo: 'Data protection',
    admin: 'Administration',
    status: 'System status',
  },
  connection: {
    online: 'Connected',
    offline: 'Disconnected',
    checking: 'Connecting …',
    offlineTitle: 'Cannot reach the server',
    offlineBody:
      'What you have typed stays here. Changes are sent once the connection is back. Retrying every {{seconds}} seconds.',
    backOnline: 'The connection is back.',
    databaseDown: 'The server answers, but its database is unavailable.',
  },
  workspace: {
    journal: {
      title: 'Journal',
      description: 'Patient journal: find the patients you have a legitimate need for; write, sign and amend notes.',
    },
    visits: {
      title: 'Home visits',
      description: 'Home-visit bookings and dispatch of doctors.',
    },
    crm: {
      title: 'Corporate customers',
      description: 'Companies, contact persons, activities and the corporate portal.',
    },
    dpo: {
      title: 'Data protection',
      description: 'Access-log review, patient access reports and data-subject requests.',
    },
    admin: {
      title: 'Administration',
      description: 'Users, roles, invitations and settings.',
    },
    notYetAvailable: 'This workspace opens once two-factor login is in place.',
  },
  status: {
    title: 'System status',
    backend: 'Server',
    version: 'Version',
    database: 'Database',
    databaseKinds: {
      pglite: 'Embedded PostgreSQL (PGlite)',
      postgres: 'PostgreSQL',
    },
    schemaVersion: 'Database schema',
    migrationCount: 'Migrations',
    mode: 'Mode',
    modeDemo: 'Demo (fictitious data)',
    modeProduction: 'Production',
    serverTime: 'Server time',
    desktop: 'Desktop app',
    browser: 'Browser (the desktop app cannot start here)',
    client: 'Client',
    unavailable: 'Unavailable',
  },
  error: {
    validation: 'Some fields are not filled in correctly.',
    internal: 'Something went wrong on the server. Try again, or contact support.',
    network: 'Cannot reach the server.',
  },
  validation: {
    field: 'The field “{{field}}”',
    invalid_type: '{{field}} has the wrong type.',
    too_small: '{{field}} is too short or too small (at least {{limit}}).',
    too_big: '{{field}} is too long or too large (at most {{limit}}).',
    invalid_format: '{{field}} has the wrong format.',
    invalid_value: '{{field}} has an invalid value.',
    unrecognized_keys: 'The request has fields that do not belong there.',
    custom: '{{field}} is invalid.',
    required: '{{field}} is required.',
    nationalIdentityNumber: {
      format: '{{field}} must have 11 digits.',
      date: '{{field}} does not hold a valid date.',
      checksum: '{{field}} has a wrong check digit.',
      synthetic_not_allowed: '{{field}} is a synthetic test number, accepted only in the demo.',
    },
    organisationNumber: {
      format: '{{field}} must have 9 digits and start with 8 or 9.',
      checksum: '{{field}} has a wrong check digit.',
    },
  },
};
