import { describe, expect, it } from 'vitest';

import { isRouteAllowed, landingRouteFor, navigationFor } from '../../../src/renderer/src/features/shell/navigation';
import { hashOf, routeFromHash } from '../../../src/renderer/src/features/shell/routes';
import { ROLES, type Role } from '../../../src/shared/roles';

const hashes = (roles: Role[], isDemo = false) => navigationFor(roles, { isDemo }).map(hashOf);

describe('landingRouteFor', () => {
  it.each([
    [['clinician'], '#/start'],
    [['admin'], '#/admin'],
    [['dpo'], '#/dpo'],
    [['coordinator'], '#/dispatch'],
    [['sales'], '#/crm'],
  ] as [Role[], string][])('ACC-1: %j lands in its own workspace %s', (roles, hash) => {
    expect(hashOf(landingRouteFor(roles))).toBe(hash);
  });

  it('ACC-1: several roles land in the daily work first (clinician before DPO, coordinator before admin)', () => {
    expect(hashOf(landingRouteFor(['dpo', 'clinician']))).toBe('#/start');
    expect(hashOf(landingRouteFor(['admin', 'coordinator']))).toBe('#/dispatch');
    expect(hashOf(landingRouteFor(['admin', 'dpo']))).toBe('#/dpo');
  });

  it.each(ROLES.map((role) => [role]))('ACC-1: %s lands on a page its role opens, offered in its menu', (role) => {
    const landing = landingRouteFor([role]);
    expect(isRouteAllowed(landing, [role])).toBe(true);
    expect(hashes([role])).toContain(hashOf(landing));
  });

  it('ACC-1: no role at all lands on the public status page, never in a workspace', () => {
    expect(hashOf(landingRouteFor([]))).toBe('#/status');
  });
});

describe('navigationFor', () => {
  it('ACC-1: the menu shows each role only its own workspace and the status page', () => {
    expect(hashes(['clinician'])).toEqual(['#/start', '#/consultations', '#/visits', '#/journal', '#/status']);
    expect(hashes(['coordinator'])).toEqual(['#/dispatch', '#/status']);
    expect(hashes(['sales'])).toEqual(['#/crm', '#/crm/tasks', '#/crm/pipeline', '#/status']);
    expect(hashes(['dpo'])).toEqual(['#/dpo', '#/dpo/log', '#/dpo/access-report', '#/dpo/cases', '#/dpo/retention', '#/dpo/registers', '#/dpo/integrity', '#/status']);
  });

  it('ACC-1, CRM-5, DPO-8: an admin has the CRM as the server gives it (sales and admin), the admin workspace, then the log integrity check', () => {
    expect(hashes(['admin'])).toEqual(['#/crm', '#/crm/tasks', '#/crm/pipeline', '#/admin', '#/dpo/integrity', '#/status']);
  });

  it('DPO-8: someone who is both DPO and admin sees the integrity check once, among the DPO’s tools', () => {
    expect(hashes(['dpo', 'admin'])).toEqual(['#/crm', '#/crm/tasks', '#/crm/pipeline', '#/dpo', '#/dpo/log', '#/dpo/access-report', '#/dpo/cases', '#/dpo/retention', '#/dpo/registers', '#/dpo/integrity', '#/admin', '#/status']);
  });

  it('ACC-1: someone with several roles sees all their workspaces, in menu order', () => {
    expect(hashes(['dpo', 'clinician'])).toEqual(['#/start', '#/consultations', '#/visits', '#/journal', '#/dpo', '#/dpo/log', '#/dpo/access-report', '#/dpo/cases', '#/dpo/retention', '#/dpo/registers', '#/dpo/integrity', '#/status']);
  });

  it('ACC-1: without a session only the public status page is offered', () => {
    expect(hashes([], true)).toEqual(['#/status']);
  });

  it("ACC-1: the demo's message outbox is offered to an admin in the demo only", () => {
    expect(hashes(['admin'], true)).toEqual(['#/crm', '#/crm/tasks', '#/crm/pipeline', '#/admin', '#/dpo/integrity', '#/status', '#/developer']);
    expect(hashes(['clinician'], true)).toEqual(['#/start', '#/consultations', '#/visits', '#/journal', '#/status']);
  });
});

describe('isRouteAllowed', () => {
  it("ACC-1: a patient's journal is a clinician's; one's own activity is anyone's with a session", () => {
    const patient = { page: 'patient', patientId: '00000000-0000-4000-8000-000000000000' } as const;
    expect(isRouteAllowed(patient, ['clinician'])).toBe(true);
    expect(isRouteAllowed(patient, ['admin', 'dpo'])).toBe(false);
    expect(isRouteAllowed({ page: 'activity' }, ['sales'])).toBe(true);
    expect(isRouteAllowed({ page: 'activity' }, [])).toBe(false);
    expect(isRouteAllowed({ page: 'invitation', token: null }, [])).toBe(true);
  });

  it("JRN-6: the start page and the calendar are a clinician's", () => {
    for (const page of ['start', 'consultations'] as const) {
      expect(isRouteAllowed({ page }, ['clinician'])).toBe(true);
      expect(isRouteAllowed({ page }, ['admin', 'dpo', 'coordinator', 'sales'])).toBe(false);
    }
  });

  it('CRM-5: the CRM pages are sales\' and admins\', nobody else\'s (a clinician never reaches CRM data)', () => {
    const companyId = '00000000-0000-4000-8000-000000000000';
    const pages = [{ page: 'workspace', workspace: 'crm' }, { page: 'company', companyId }, { page: 'crmTasks' }, { page: 'crmPipeline' }] as const;
    for (const route of pages) {
      expect(isRouteAllowed(route, ['sales']), hashOf(route)).toBe(true);
      expect(isRouteAllowed(route, ['admin']), hashOf(route)).toBe(true);
      expect(isRouteAllowed(route, ['clinician', 'coordinator', 'dpo']), hashOf(route)).toBe(false);
      expect(isRouteAllowed(route, []), hashOf(route)).toBe(false);
    }
    // Sales and admin still land in their own workspaces.
    expect(hashOf(landingRouteFor(['admin', 'sales']))).toBe('#/crm');
    expect(hashOf(landingRouteFor(['admin']))).toBe('#/admin');
  });

  it('DPO-8: the integrity check opens for an admin too; the DPO’s other tools do not', () => {
    expect(isRouteAllowed({ page: 'dpo', section: 'integrity' }, ['admin'])).toBe(true);
    expect(isRouteAllowed({ page: 'dpo', section: 'integrity' }, ['dpo'])).toBe(true);
    expect(isRouteAllowed({ page: 'dpo', section: 'integrity' }, ['clinician', 'coordinator', 'sales'])).toBe(false);
    for (const section of ['log', 'access-report', 'cases', 'retention', 'registers'] as const) {
      expect(isRouteAllowed({ page: 'dpo', section }, ['admin']), section).toBe(false);
    }
    expect(isRouteAllowed({ page: 'workspace', workspace: 'dpo' }, ['admin'])).toBe(false);
  });

  it("DPO-1…8: the DPO's tools and a request's page are the DPO's only; malformed addresses land on the workspace", () => {
    const caseId = '00000000-0000-4000-8000-000000000000';
    expect(routeFromHash(`#/dpo/cases/${caseId}`)).toEqual({ page: 'dsrCase', caseId });
    expect(routeFromHash('#/dpo/log')).toEqual({ page: 'dpo', section: 'log' });
    expect(routeFromHash('#/dpo/cases/not-an-id')).toEqual({ page: 'workspace', workspace: 'dpo' });
    expect(routeFromHash('#/dpo/nothing')).toEqual({ page: 'workspace', workspace: 'dpo' });
    for (const route of [{ page: 'dpo', section: 'log' }, { page: 'dpo', section: 'cases' }, { page: 'dsrCase', caseId }] as const) {
      expect(isRouteAllowed(route, ['dpo']), hashOf(route)).toBe(true);
      expect(isRouteAllowed(route, ['clinician', 'coordinator', 'sales', 'admin']), hashOf(route)).toBe(false);
      expect(routeFromHash(hashOf(route))).toEqual(route);
    }
  });

  it("VIS-3: the dispatch board is a coordinator's, a doctor's own visits a clinician's", () => {
    expect(isRouteAllowed({ page: 'dispatch' }, ['coordinator'])).toBe(true);
    expect(isRouteAllowed({ page: 'dispatch' }, ['clinician', 'admin', 'dpo', 'sales'])).toBe(false);
    expect(isRouteAllowed({ page: 'visits' }, ['clinician'])).toBe(true);
    expect(isRouteAllowed({ page: 'visits' }, ['coordinator', 'admin', 'dpo', 'sales'])).toBe(false);
    expect(hashes(['clinician', 'coordinator'])).toEqual(['#/start', '#/consultations', '#/visits', '#/journal', '#/dispatch', '#/status']);
  });
});
