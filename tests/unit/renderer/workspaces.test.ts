import { describe, expect, it } from 'vitest';

import { WORKSPACES, workspaceFromHash } from '../../../src/renderer/src/features/shell/workspaces';

describe('workspaceFromHash', () => {
  it.each(WORKSPACES.map((workspace) => [workspace]))('DESK-4: #/%s opens that workspace', (workspace) => {
    expect(workspaceFromHash(`#/${workspace}`)).toBe(workspace);
  });

  it('DESK-4: #/crm opens the CRM workspace', () => {
    expect(workspaceFromHash('#/crm')).toBe('crm');
  });

  it.each([
    '',
    '#',
    '#/',
    '#/unknown',
    '#/CRM',
    '#/crm/extra',
    '#/crm?x=1',
    '#//crm',
    '#/__proto__',
    '#/constructor',
    '#/toString',
    '#/hasOwnProperty',
    '#/length',
    '#/0',
  ])('DESK-4: %j falls back to the journal', (hash) => {
    expect(workspaceFromHash(hash)).toBe('journal');
  });
});
