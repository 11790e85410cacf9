import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../server/router';

/**
 * The only way the renderer knows the server's types: what the router's procedures take and give.
 * A feature names what it needs from these (`RouterOutputs['users']['list'][number]`), never a
 * service's own type, so the server can reshape its internals without the renderer noticing.
 */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
