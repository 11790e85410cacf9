import { describe, expect, it } from 'vitest';

import { hashOf, isPublicRoute, type Route, routeFromHash } from '../../../src/renderer/src/features/shell/routes';
import { WORKSPACES } from '../../../src/renderer/src/features/shell/workspaces';

const TOKEN = 'Xb_O7JwAE3LA_-w_9zwXlPSCOjE2uJNLPVE0fPMXPpC0';

describe('routeFromHash', () => {
  it('AUTH-1: #/invitation/<token> opens the invitation wizard with that token', () => {
    expect(routeFromHash(`#/invitation/${TOKEN}`)).toEqual({ page: 'invitation', token: TOKEN });
  });

  it.each(['#/invitation/', '#/invitation/short', `#/invitation/${TOKEN}/x`, `#/invitation/${TOKEN}?a=1`, '#/invitation/<script>alert(1)</script>', `#/invitation/${'a'.repeat(201)}`])(
    'AUTH-1: a malformed invitation link %j shows the wizard as invalid, never sends the text',
    (hash) => {
      expect(routeFromHash(hash)).toEqual({ page: 'invitation', token: null });
    },
  );

  it.each(WORKSPACES.map((workspace) => [workspace]))('DESK-4: #/%s opens that workspace', (workspace) => {
    expect(routeFromHash(`#/${workspace}`)).toEqual({ page: 'workspace', workspace });
  });

  it('AUD-7: #/activity is the own-activity page; #/developer the demo outbox', () => {
    expect(routeFromHash('#/activity')).toEqual({ page: 'activity' });
    expect(routeFromHash('#/developer')).toEqual({ page: 'developer' });
  });

  it('JRN-6: #/start is the clinician\'s start page, #/consultations the calendar, and back', () => {
    expect(routeFromHash('#/start')).toEqual({ page: 'start' });
    expect(routeFromHash('#/consultations')).toEqual({ page: 'consultations' });
    expect(hashOf({ page: 'start' })).toBe('#/start');
    expect(hashOf({ page: 'consultations' })).toBe('#/consultations');
    expect(isPublicRoute({ page: 'start' })).toBe(false);
  });

  it("VIS-3: #/dispatch is the coordinators' board, #/visits the doctor's own visits, and back; neither is public", () => {
    expect(routeFromHash('#/dispatch')).toEqual({ page: 'dispatch' });
    expect(routeFromHash('#/visits')).toEqual({ page: 'visits' });
    expect(hashOf({ page: 'dispatch' })).toBe('#/dispatch');
    expect(hashOf({ page: 'visits' })).toBe('#/visits');
    expect(isPublicRoute({ page: 'dispatch' })).toBe(false);
    expect(isPublicRoute({ page: 'visits' })).toBe(false);
  });

  it('JRN: #/journal/<uuid> opens that patient\'s journal; the URL carries the id and nothing else', () => {
    const patientId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(routeFromHash(`#/journal/${patientId}`)).toEqual({ page: 'patient', patientId });
    expect(hashOf({ page: 'patient', patientId })).toBe(`#/journal/${patientId}`);
    expect(isPublicRoute({ page: 'patient', patientId })).toBe(false);
  });

  it('CRM-1, CRM-3: #/crm/company/<uuid> opens that company, #/crm/tasks my tasks, #/crm/pipeline the pipeline; none is public', () => {
    const companyId = '6b0f1c1e-3f5a-4d7e-9c2b-0a1b2c3d4e5f';
    expect(routeFromHash(`#/crm/company/${companyId}`)).toEqual({ page: 'company', companyId });
    expect(hashOf({ page: 'company', companyId })).toBe(`#/crm/company/${companyId}`);
    expect(routeFromHash('#/crm/tasks')).toEqual({ page: 'crmTasks' });
    expect(routeFromHash('#/crm/pipeline')).toEqual({ page: 'crmPipeline' });
    expect(hashOf({ page: 'crmTasks' })).toBe('#/crm/tasks');
    expect(hashOf({ page: 'crmPipeline' })).toBe('#/crm/pipeline');
    for (const route of [{ page: 'company', companyId } as const, { page: 'crmTasks' } as const, { page: 'crmPipeline' } as const]) {
      expect(isPublicRoute(route)).toBe(false);
    }
  });

  it.each(['#/crm/company/', '#/crm/company/acme', '#/crm/company/6B0F1C1E-3F5A-4D7E-9C2B-0A1B2C3D4E5F', '#/crm/company/6b0f1c1e-3f5a-4d7e-9c2b-0a1b2c3d4e5f/x', '#/crm/tasks/x', '#/crm/unknown'])(
    'CRM-1: %j is no company or CRM page: the company list',
    (hash) => {
      expect(routeFromHash(hash)).toEqual({ page: 'workspace', workspace: 'crm' });
    },
  );

  it.each(['#/journal/', '#/journal/kari', '#/journal/0F8FAD5B-D9CB-469F-A165-70867728950E', '#/journal/0f8fad5b-d9cb-469f-a165-70867728950e/x', '#/journal/0f8fad5b-d9cb-469f-a165-70867728950'])(
    '%j is no patient link: the journal search',
    (hash) => {
      expect(routeFromHash(hash)).toEqual({ page: 'workspace', workspace: 'journal' });
    },
  );

  it.each(['', '#', '#/', '#/unknown', '#/Activity', '#/__proto__', '#/invitation', '#invitation/x'])('%j falls back to the journal', (hash) => {
    expect(routeFromHash(hash)).toEqual({ page: 'workspace', workspace: 'journal' });
  });

  it('hashOf gives back a hash that routes to the same page', () => {
    const routes: Route[] = [
      { page: 'invitation', token: TOKEN },
      { page: 'activity' },
      { page: 'developer' },
      { page: 'patient', patientId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
      { page: 'company', companyId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
      { page: 'crmTasks' },
      { page: 'crmPipeline' },
      ...WORKSPACES.map((workspace) => ({ page: 'workspace' as const, workspace })),
    ];
    for (const route of routes) expect(routeFromHash(hashOf(route))).toEqual(route);
  });
});

describe('isPublicRoute', () => {
  it('AUTH-5, DESK-4: only the invitation, the status page and the demo outbox are open without a session', () => {
    expect(isPublicRoute({ page: 'invitation', token: null })).toBe(true);
    expect(isPublicRoute({ page: 'workspace', workspace: 'status' })).toBe(true);
    // Issue 8 §5: the demo outbox holds invitation links and codes: an admin's session only.
    expect(isPublicRoute({ page: 'developer' })).toBe(false);
    expect(isPublicRoute({ page: 'activity' })).toBe(false);
    for (const workspace of WORKSPACES.filter((name) => name !== 'status')) {
      expect(isPublicRoute({ page: 'workspace', workspace }), workspace).toBe(false);
    }
  });
});
