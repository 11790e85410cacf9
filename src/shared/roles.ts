/** The roles of SPEC.md's table. A person may hold several, per organisation. */
export const ROLES = ['clinician', 'coordinator', 'sales', 'dpo', 'admin'] as const;
export type Role = (typeof ROLES)[number];
