/**
 * One Content Security Policy for the renderer, used by the desktop build (meta tag and protocol
 * header) and by the backend when it serves the browser fallback. No inline or remote scripts,
 * no eval, no frames, no plugins; the only network peer is the backend.
 */
export interface ContentSecurityPolicyOptions {
  /** Origins the renderer may call with fetch (the backend). 'self' is always allowed. */
  connectSources: readonly string[];
  /** A <meta> policy cannot carry frame-ancestors (browsers ignore it there, with a console error). */
  delivery?: 'header' | 'meta';
}

export function buildContentSecurityPolicy({ connectSources, delivery = 'header' }: ContentSecurityPolicyOptions): string {
  const connect = ["'self'", ...connectSources.map((source) => new URL(source).origin)];
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    // Mantine injects its CSS variables in <style> tags at run time.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': [...new Set(connect)],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    ...(delivery === 'header' ? { 'frame-ancestors': ["'none'"] } : {}),
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
    'worker-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}
