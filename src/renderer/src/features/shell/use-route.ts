import { useEffect, useState } from 'react';
import { type Route, routeFromHash } from './routes';

/** Follows the URL hash so a page can be linked and the back button works. */
export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onHashChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  return routeFromHash(hash);
}
