import { type Workspace, WORKSPACES } from './workspaces';

/**
 * Where the URL hash points. Pages that need no session: the invitation wizard (the invitee has no
 * account yet) and the system status. The demo's message outbox needs an admin's session (issue 8 §5).
 */
export type Route =
  | { page: 'invitation'; token: string | null }
  | { page: 'workspace'; workspace: Workspace }
  /** One patient's journal (JRN, ACC): the id only, never a name or number in the URL. */
  | { page: 'patient'; patientId: string }
  | { page: 'activity' }
  | { page: 'developer' }
  /** The clinician's start page and the consultation calendar (JRN-6). */
  | { page: 'start' }
  | { page: 'consultations' }
  /** Home visits (VIS-3): the coordinators' dispatch board, and a doctor's own visits of the day. */
  | { page: 'dispatch' }
  | { page: 'visits' }
  /**
   * The CRM (CRM-1…3): `#/crm` is the workspace's company list; a company's page (its id only in
   * the URL, never a name), the user's own tasks and the sales pipeline are pages of their own.
   */
  | { page: 'company'; companyId: string }
  | { page: 'crmTasks' }
  | { page: 'crmPipeline' }
  /**
   * The DPO's workspace (DPO-1…8): `#/dpo` lands on the flags dashboard (DPO-2); each other tool is
   * a section of its own (`#/dpo/log` …), and a data-subject request a page (its id only in the URL).
   */
  | { page: 'dpo'; section: DpoSection }
  | { page: 'dsrCase'; caseId: string };

/** The DPO workspace's sections, in its menu order; the URL names each in kebab-case. */
export const DPO_SECTIONS = ['log', 'access-report', 'cases', 'retention', 'registers', 'integrity'] as const;
export type DpoSection = (typeof DPO_SECTIONS)[number];

/** The shape of an invitation token (as the server's tokenSchema); anything else is shown as invalid. */
const INVITATION = /^#\/invitation\/(.*)$/;
const TOKEN = /^[A-Za-z0-9_-]{20,200}$/;
const PATIENT = /^#\/journal\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const DSR_CASE = /^#\/dpo\/cases\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const COMPANY = /^#\/crm\/company\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function routeFromHash(hash: string): Route {
  const invitation = INVITATION.exec(hash);
  if (invitation) {
    const token = invitation[1] ?? '';
    return { page: 'invitation', token: TOKEN.test(token) ? token : null };
  }
  const patient = PATIENT.exec(hash);
  if (patient?.[1]) return { page: 'patient', patientId: patient[1] };
  const company = COMPANY.exec(hash);
  if (company?.[1]) return { page: 'company', companyId: company[1] };
  const dsrCase = DSR_CASE.exec(hash);
  if (dsrCase?.[1]) return { page: 'dsrCase', caseId: dsrCase[1] };
  const name = hash.replace(/^#\/?/, '');
  if (name.startsWith('dpo/')) {
    const section = name.slice('dpo/'.length);
    // A malformed case link or an unknown tool shows the workspace's landing, not the journal.
    return (DPO_SECTIONS as readonly string[]).includes(section) ? { page: 'dpo', section: section as DpoSection } : { page: 'workspace', workspace: 'dpo' };
  }
  if (name === 'activity') return { page: 'activity' };
  if (name === 'developer') return { page: 'developer' };
  if (name === 'start') return { page: 'start' };
  if (name === 'consultations') return { page: 'consultations' };
  if (name === 'dispatch') return { page: 'dispatch' };
  if (name === 'visits') return { page: 'visits' };
  if (name === 'crm/tasks') return { page: 'crmTasks' };
  if (name === 'crm/pipeline') return { page: 'crmPipeline' };
  // A malformed company link (or any other CRM address) shows the company list, not the journal.
  if (name.startsWith('crm/')) return { page: 'workspace', workspace: 'crm' };
  return { page: 'workspace', workspace: (WORKSPACES as readonly string[]).includes(name) ? (name as Workspace) : 'journal' };
}

/** The hash of a route, for links and navigation. */
export function hashOf(route: Route): string {
  switch (route.page) {
    case 'invitation':
      return `#/invitation/${route.token ?? ''}`;
    case 'workspace':
      return `#/${route.workspace}`;
    case 'patient':
      return `#/journal/${route.patientId}`;
    case 'company':
      return `#/crm/company/${route.companyId}`;
    case 'crmTasks':
      return '#/crm/tasks';
    case 'crmPipeline':
      return '#/crm/pipeline';
    case 'dpo':
      return `#/dpo/${route.section}`;
    case 'dsrCase':
      return `#/dpo/cases/${route.caseId}`;
    default:
      return `#/${route.page}`;
  }
}

/** Pages anyone may see without logging in. */
export function isPublicRoute(route: Route): boolean {
  return route.page === 'invitation' || (route.page === 'workspace' && route.workspace === 'status');
}
