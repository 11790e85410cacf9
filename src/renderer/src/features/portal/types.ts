import type { RouterOutputs } from '../../lib/api-types';

/** What the portal's procedures answer, as the renderer uses it (named from the router's types only). */
export type Agreement = NonNullable<RouterOutputs['portal']['agreement']>;
export type EmployeeRow = RouterOutputs['portal']['employees']['rows'][number];
export type ImportStatus = RouterOutputs['portal']['import']['status'];
export type ImportInspection = RouterOutputs['portal']['import']['inspect'];
export type ImportPreviewRow = RouterOutputs['portal']['import']['preview']['rows'][number];
