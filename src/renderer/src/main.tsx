import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppLayout } from './features/shell/AppLayout';
import { initI18n } from './i18n';
import { resolveBackendUrl } from './lib/backend';
import { createQueryClient, createTrpcClient, TRPCProvider } from './lib/trpc';

const theme = createTheme({ primaryColor: 'teal', defaultRadius: 'sm' });

async function bootstrap() {
  const [backendUrl] = await Promise.all([resolveBackendUrl(), initI18n()]);
  const queryClient = createQueryClient();
  const trpcClient = createTrpcClient(backendUrl);
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme}>
        <Notifications position="top-right" />
        <QueryClientProvider client={queryClient}>
          <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
            <AppLayout />
          </TRPCProvider>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

void bootstrap();
