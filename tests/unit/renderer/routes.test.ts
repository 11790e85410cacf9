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

  it.each(['', '#', '#/', '#/unknown', '#/Activity', '#/__proto__', '#/invitation', '#invitation/x'])('%j falls back to the journal', (hash) => {
    expect(routeFromHash(hash)).toEqual({ page: 'workspace', workspace: 'journal' });
  });

  it('hashOf gives back a hash that routes to the same page', () => {
    const routes: Route[] = [
      { page: 'invitation', token: TOKEN },
      { page: 'activity' },
      { page: 'developer' },
      ...WORKSPACES.map((workspace) => ({ page: 'workspace' as const, workspace })),
    ];
    for (const route of routes) expect(routeFromHash(hashOf(route))).toEqual(route);
  });
});

describe('isPublicRoute', () => {
  it('AUTH-5, DESK-4: only the invitation, the status page and the demo outbox are open without a session', () => {
    expect(isPublicRoute({ page: 'invitation', token: null })).toBe(true);
    expect(isPublicRoute({ page: 'workspace', workspace: 'status' })).toBe(true);
    expect(isPublicRoute({ page: 'developer' })).toBe(true);
    expect(isPublicRoute({ page: 'activity' })).toBe(false);
    for (const workspace of WORKSPACES.filter((name) => name !== 'status')) {
      expect(isPublicRoute({ page: 'workspace', workspace }), workspace).toBe(false);
    }
  });
});
