import { type ComponentType, lazy } from 'react';

/**
 * A component whose module is fetched the first time it is shown (with `<Suspense>` around it), so
 * the login page loads only what it needs (issue 9 §5). Takes a named export.
 */
export function lazyComponent<Props extends object>(load: () => Promise<ComponentType<Props>>) {
  return lazy(async () => ({ default: await load() }));
}
