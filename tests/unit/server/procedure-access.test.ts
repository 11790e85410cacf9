import type { AnyTRPCProcedure } from '@trpc/server';
import { describe, expect, it } from 'vitest';

import { appRouter } from '../../../src/server/router';
import type { ProcedureAccess } from '../../../src/server/trpc';
import { ROLES } from '../../../src/shared/roles';

/**
 * ACC-1: every procedure declares who may call it. The role × procedure matrix proper, called
 * through the router against a database, is tests/integration/access/role-matrix.int.test.ts.
 */
// Typed as the nested router record, but at run time a flat map keyed by dotted path.
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>);

/** The procedures anyone may call without logging in. Adding one here must be a deliberate choice. */
const PUBLIC_PROCEDURES = [
  'system.health',
  'system.info',
  // Before a session exists: logging in and accepting an invitation.
  'auth.login.password',
  'auth.login.secondFactor',
  'auth.login.verifyEnrolmentCode',
  'auth.login.enrol',
  'auth.invitation.open',
  'auth.invitation.verifySmsCode',
  'auth.invitation.complete',
  // developer.outbox is no longer here: it needs an admin's session (issue 8 §5).
];

function accessOf(procedure: AnyTRPCProcedure): unknown {
  return (procedure._def.meta as { access?: unknown } | undefined)?.access;
}

function problemWith(access: unknown): string | undefined {
  if (typeof access !== 'object' || access === null) return 'no access declaration';
  const { kind } = access as { kind?: unknown };
  if (kind === 'public' || kind === 'authenticated') return undefined;
  if (kind !== 'roles') return `unknown access kind ${String(kind)}`;
  const { roles } = access as { roles?: unknown };
  if (!Array.isArray(roles) || roles.length === 0) return 'roles access with no roles';
  const unknown = roles.filter((role) => !(ROLES as readonly unknown[]).includes(role));
  if (unknown.length > 0) return `unknown roles ${unknown.join(', ')}`;
  if (new Set(roles).size !== roles.length) return 'a role listed twice';
  return undefined;
}

describe('procedure access declarations', () => {
  it('ACC-1: the router has procedures to check (the walk itself works)', () => {
    expect(procedures.length).toBeGreaterThan(0);
    expect(procedures.map(([path]) => path)).toEqual(expect.arrayContaining(PUBLIC_PROCEDURES));
  });

  it.each(procedures)('ACC-1: %s declares a valid access rule', (_path, procedure) => {
    expect(problemWith(accessOf(procedure))).toBeUndefined();
  });

  it('ACC-1: exactly the listed procedures are public', () => {
    const publicPaths = procedures
      .filter(([, procedure]) => (accessOf(procedure) as ProcedureAccess | undefined)?.kind === 'public')
      .map(([path]) => path)
      .sort();
    expect(publicPaths).toEqual([...PUBLIC_PROCEDURES].sort());
  });
});

describe('the access checker itself', () => {
  it.each([
    [undefined, 'no access declaration'],
    [{}, 'unknown access kind undefined'],
    [{ kind: 'everyone' }, 'unknown access kind everyone'],
    [{ kind: 'roles', roles: [] }, 'roles access with no roles'],
    [{ kind: 'roles' }, 'roles access with no roles'],
    [{ kind: 'roles', roles: ['clinician', 'superuser'] }, 'unknown roles superuser'],
    [{ kind: 'roles', roles: ['dpo', 'dpo'] }, 'a role listed twice'],
  ])('ACC-1: rejects %j', (access, problem) => {
    expect(problemWith(access)).toBe(problem);
  });

  it.each([[{ kind: 'public' }], [{ kind: 'authenticated' }], [{ kind: 'roles', roles: ['clinician', 'dpo'] }]])(
    'ACC-1: accepts %j',
    (access) => {
      expect(problemWith(access)).toBeUndefined();
    },
  );
});
