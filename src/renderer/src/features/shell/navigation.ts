import type { Role } from '../../../../shared/roles';
import { DPO_SECTIONS, type DpoSection, hashOf, type Route } from './routes';
import { type Workspace, WORKSPACES } from './workspaces';

/**
 * The roles a workspace is for. The system status is for everyone, signed in or not (DESK-4). The
 * CRM is sales' and, as on the server (CRM-5: roleProcedure(['sales', 'admin'])), an admin's too.
 */
const WORKSPACE_ROLES: Record<Exclude<Workspace, 'status'>, readonly Role[]> = {
  journal: ['clinician'],
  crm: ['sales', 'admin'],
  dpo: ['dpo'],
  admin: ['admin'],
};

const hasAnyOf = (roles: readonly Role[], allowed: readonly Role[]) => allowed.some((role) => roles.includes(role));

/**
 * The DPO's tools an admin opens too, as the server admits them (DPO-8, AUD-4: the integrity check
 * is roleProcedure(['dpo', 'admin'])). The admin reaches it from their own part of the menu.
 */
const ADMIN_DPO_SECTIONS: readonly DpoSection[] = ['integrity'];

/**
 * Which workspace someone with several roles lands in: the daily work with patients and customers
 * before the oversight roles, which are visited now and then (a clinician who is also the DPO
 * spends the day in the journal).
 */
const LANDING_PRIORITY: readonly Role[] = ['clinician', 'coordinator', 'sales', 'dpo', 'admin'];

/**
 * Where each role lands: its workspace; a clinician's is the start page of the day (JRN-6), a
 * coordinator's the dispatch board (VIS-3).
 */
const LANDING: Record<Role, Route> = {
  clinician: { page: 'start' },
  coordinator: { page: 'dispatch' },
  sales: { page: 'workspace', workspace: 'crm' },
  dpo: { page: 'workspace', workspace: 'dpo' },
  admin: { page: 'workspace', workspace: 'admin' },
};

/** Where a user lands after logging in, or on the bare address: the landing of their first role by priority. */
export function landingRouteFor(roles: readonly Role[]): Route {
  const role = LANDING_PRIORITY.find((candidate) => roles.includes(candidate));
  return role ? LANDING[role] : { page: 'workspace', workspace: 'status' };
}

/** May someone holding `roles` (none without a session) open `route`? The server decides again on every call (ACC-1). */
export function isRouteAllowed(route: Route, roles: readonly Role[]): boolean {
  switch (route.page) {
    case 'invitation':
      return true;
    case 'workspace':
      return route.workspace === 'status' || hasAnyOf(roles, WORKSPACE_ROLES[route.workspace]);
    case 'dpo':
      return hasAnyOf(roles, WORKSPACE_ROLES.dpo) || (ADMIN_DPO_SECTIONS.includes(route.section) && roles.includes('admin'));
    case 'dsrCase':
      return hasAnyOf(roles, WORKSPACE_ROLES.dpo);
    case 'company':
    case 'crmTasks':
    case 'crmPipeline':
      return hasAnyOf(roles, WORKSPACE_ROLES.crm);
    case 'patient':
    case 'start':
    case 'consultations':
    case 'visits':
      return roles.includes('clinician');
    case 'dispatch':
      return roles.includes('coordinator');
    case 'activity':
      return roles.length > 0;
    case 'developer':
      // The demo's outbox is an admin's (issue 8 §5).
      return roles.includes('admin');
  }
}

/**
 * The menu entries for someone holding `roles`, in menu order: a clinician's day, calendar and home
 * visits, the journal, the dispatch board, the other workspaces (the CRM's companies followed by
 * one's own tasks and the pipeline; the DPO's flags followed by each of its tools; the admin's
 * workspace followed by the DPO tools an admin opens too, unless the DPO's part already lists
 * them), the status, and in the demo the admin's outbox.
 */
export function navigationFor(roles: readonly Role[], options: { isDemo: boolean }): Route[] {
  const [journal, ...others] = WORKSPACES.map((workspace): Route => ({ page: 'workspace', workspace }));
  const candidates: Route[] = [
    { page: 'start' },
    { page: 'consultations' },
    { page: 'visits' },
    ...(journal ? [journal] : []),
    { page: 'dispatch' },
    ...others.flatMap((route): Route[] =>
      route.page === 'workspace' && route.workspace === 'crm'
        ? [route, { page: 'crmTasks' }, { page: 'crmPipeline' }]
        : route.page === 'workspace' && route.workspace === 'dpo'
          ? // Under the DPO's workspace for the DPO only; an admin finds theirs under the admin workspace.
            [route, ...(hasAnyOf(roles, WORKSPACE_ROLES.dpo) ? DPO_SECTIONS : []).map((section): Route => ({ page: 'dpo', section }))]
          : route.page === 'workspace' && route.workspace === 'admin'
            ? [route, ...ADMIN_DPO_SECTIONS.map((section): Route => ({ page: 'dpo', section }))]
            : [route],
    ),
    ...(options.isDemo ? [{ page: 'developer' } as const] : []),
  ];
  const seen = new Set<string>();
  return candidates.filter((route) => {
    const hash = hashOf(route);
    if (seen.has(hash) || !isRouteAllowed(route, roles)) return false;
    seen.add(hash);
    return true;
  });
}
