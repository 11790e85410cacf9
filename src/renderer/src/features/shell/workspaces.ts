/** The workspaces of the navigation frame, in menu order. Later issues fill them in. */
export const WORKSPACES = ['journal', 'visits', 'crm', 'dpo', 'admin', 'status'] as const;
export type Workspace = (typeof WORKSPACES)[number];

export function workspaceFromHash(hash: string): Workspace {
  const name = hash.replace(/^#\/?/, '');
  return (WORKSPACES as readonly string[]).includes(name) ? (name as Workspace) : 'journal';
}
