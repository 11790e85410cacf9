/**
 * The workspaces of the navigation frame, in menu order. Later issues fill them in. Home visits left
 * this list for pages of their own (issue 10): the coordinators' dispatch board and the doctor's visits.
 */
export const WORKSPACES = ['journal', 'crm', 'dpo', 'admin', 'status'] as const;
export type Workspace = (typeof WORKSPACES)[number];

export function workspaceFromHash(hash: string): Workspace {
  const name = hash.replace(/^#\/?/, '');
  return (WORKSPACES as readonly string[]).includes(name) ? (name as Workspace) : 'journal';
}
