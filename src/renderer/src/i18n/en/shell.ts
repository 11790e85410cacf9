import type { Messages } from '../nb';

/** English. The frame of the app: name, language switch, navigation, connection state, workspaces, system status. */
export const shell: Pick<Messages, 'app' | 'language' | 'nav' | 'connection' | 'workspace' | 'status'> = {
  app: {
    name: 'Journalkontor',
    skipToContent: 'Skip to content',
    demoBadge: 'Demo',
    close: 'Close',
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
    visits: 'My visits',
    dispatch: 'Home visits',
    crm: 'Corporate customers',
    dpo: 'Data protection',
    admin: 'Administration',
    status: 'System status',
    developer: 'Developer: messages',
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
    crm: {
      title: 'Corporate customers',
      description: 'This is where sales will follow up corporate customers, their contact persons and activities.',
    },
    dpo: {
      title: 'Data protection',
      description: 'This is where the data protection officer will review the access log, produce access reports and handle data-subject requests.',
    },
    admin: {
      title: 'Administration',
      description: 'Users, roles, invitations and settings.',
    },
    notYetAvailable: 'This workspace has not been built yet. It comes in a later version of Journalkontor.',
    meanwhile: 'Until then, you can see what is recorded about your own use of Journalkontor under',
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
};
