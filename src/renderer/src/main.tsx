import './mantine-styles';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, StrictMode, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { SessionProvider } from './features/auth/session-context';
import { AppLayout } from './features/shell/AppLayout';
import { initI18n } from './i18n';
import { resolveBackendUrl } from './lib/backend';
import { createSessionStore } from './lib/session-store';
import { createQueryClient, createTrpcClient, TRPCProvider } from './lib/trpc';
import { cssVariablesResolver, localizedTheme } from './theme';

/** Queries anyone may make; everything else belongs to a session and goes when it ends. */
// The developer outbox view needs an admin's session now (issue 8 §5): it goes with the session.
const PUBLIC_QUERY_ROOTS = new Set(['system']);

/** Mantine with the app's theme, its unlabelled controls named in the current language. */
function ThemeProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const closeLabel = t('app.close');
  const theme = useMemo(() => localizedTheme(closeLabel), [closeLabel]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      {children}
    </MantineProvider>
  );
}

async function bootstrap() {
  const [backendUrl] = await Promise.all([resolveBackendUrl(), initI18n()]);
  const session = createSessionStore();
  const queryClient = createQueryClient(session);
  const trpcClient = createTrpcClient(backendUrl, session);
  // When the session ends, what it fetched leaves memory too: the next user sees none of it.
  let token = session.getToken();
  session.subscribe(() => {
    const next = session.getToken();
    if (next !== token && token !== null) {
      queryClient.removeQueries({
        predicate: (query) => {
          const path = query.queryKey[0];
          return !(Array.isArray(path) && PUBLIC_QUERY_ROOTS.has(String(path[0])));
        },
      });
    }
    token = next;
  });
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <ThemeProvider>
        <Notifications position="top-right" classNames={{ root: 'app-notifications' }} />
        <QueryClientProvider client={queryClient}>
          <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
            <SessionProvider store={session}>
              <AppLayout />
            </SessionProvider>
          </TRPCProvider>
        </QueryClientProvider>
      </ThemeProvider>
    </StrictMode>,
  );
}

void bootstrap();
