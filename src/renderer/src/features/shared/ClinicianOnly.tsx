import { Alert, Loader, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useCurrentUser } from '../auth/session-context';

/** A page for clinicians only (ACC-1): others see why, not the page (the server refuses them too). */
export function ClinicianOnly({ title, message, children }: { title: string; message: string; children: ReactNode }) {
  const me = useCurrentUser();
  if (!me.data) return <Loader size="sm" />;
  if (!me.data.roles.includes('clinician')) {
    return (
      <Stack gap="sm">
        <Title order={2}>{title}</Title>
        <Alert color="yellow" data-testid="clinician-only">
          {message}
        </Alert>
      </Stack>
    );
  }
  return children;
}
