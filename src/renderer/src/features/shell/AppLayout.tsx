import { Alert, AppShell, Badge, Burger, Button, Center, Divider, Group, Loader, NavLink, ScrollArea, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { ActivityPage } from '../account/ActivityPage';
import { AdminPage } from '../admin/AdminPage';
import { ConsultationsPage } from '../consultations/ConsultationsPage';
import { InvitationWizard } from '../auth/InvitationWizard';
import { LockScreen } from '../auth/LockScreen';
import { LoginPage } from '../auth/LoginPage';
import { useCurrentUser, useSession } from '../auth/session-context';
import { StepUpProvider } from '../auth/step-up';
import { useIdleLock } from '../auth/use-idle-lock';
import { ConnectionIndicator } from '../connection/ConnectionIndicator';
import { OfflineBanner } from '../connection/OfflineBanner';
import { type ConnectionState, useConnectionStatus } from '../connection/use-connection-status';
import { OutboxPage } from '../developer/OutboxPage';
import { JournalPage } from '../journal/JournalPage';
import { StartPage } from '../start/StartPage';
import { StatusPage } from '../system/StatusPage';
import { WorkspacePage } from '../workspace/WorkspacePage';
import { LanguageSwitch } from './LanguageSwitch';
import { hashOf, isPublicRoute, type Route } from './routes';
import { useRoute } from './use-route';
import { UserMenu } from './UserMenu';
import { WORKSPACES } from './workspaces';

/** Tells the user, once, when the backend comes back after being away. */
function useBackOnlineNotice(state: ConnectionState) {
  const { t } = useTranslation();
  const previous = useRef<ConnectionState>(state);
  useEffect(() => {
    if (previous.current !== 'online' && previous.current !== 'checking' && state === 'online') {
      notifications.show({ color: 'teal', message: t('connection.backOnline'), autoClose: 4000 });
    }
    previous.current = state;
  }, [state, t]);
}

/** Is the menu entry `target` where `route` is? A patient's journal belongs to the journal workspace. */
function isSameRoute(route: Route, target: Route): boolean {
  if (route.page === 'patient') return target.page === 'workspace' && target.workspace === 'journal';
  return hashOf(route) === hashOf(target);
}

/**
 * The frame (header, menu, connection state) is there with or without a session, so the status
 * page and the connection indicator work before logging in (DESK-4). Every other page needs a
 * session; without one, the main area shows the login form instead.
 */
export function AppLayout() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [isNavOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure();
  const route = useRoute();
  const connection = useConnectionStatus();
  useBackOnlineNotice(connection);
  useIdleLock();
  const info = useQuery(trpc.system.info.queryOptions(undefined, { staleTime: Infinity }));
  const { token } = useSession();
  const me = useCurrentUser();

  const navRoutes: { route: Route; label: string }[] = [
    // JRN-6: the clinician's day and calendar.
    ...(me.data?.roles.includes('clinician')
      ? [
          { route: { page: 'start' } as const, label: t('start.navLabel') },
          { route: { page: 'consultations' } as const, label: t('consultations.navLabel') },
        ]
      : []),
    ...WORKSPACES.map((workspace) => ({ route: { page: 'workspace', workspace } as const, label: t(`nav.${workspace}`) })),
    ...(info.data?.isDemo ? [{ route: { page: 'developer' } as const, label: t('nav.developer') }] : []),
  ];

  return (
    <StepUpProvider>
      <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !isNavOpen } }} padding="md">
        <a href="#main" className="skip-link">
          {t('app.skipToContent')}
        </a>
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={isNavOpen} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
              <Title order={1} size="h3">
                {t('app.name')}
              </Title>
              {info.data?.isDemo && (
                <Badge color="grape" variant="outline" data-testid="demo-badge">
                  {t('app.demoBadge')}
                </Badge>
              )}
            </Group>
            <Group gap="sm" wrap="nowrap">
              <ConnectionIndicator state={connection} />
              <LanguageSwitch />
              {token && <UserMenu />}
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label={t('nav.label')}>
          <ScrollArea>
            {navRoutes.map(({ route: target, label }, index) => (
              <div key={hashOf(target)}>
                {target.page === 'developer' && index > 0 && <Divider my="xs" />}
                <NavLink
                  href={hashOf(target)}
                  label={label}
                  active={isSameRoute(route, target)}
                  aria-current={isSameRoute(route, target) ? 'page' : undefined}
                  onClick={closeNav}
                />
              </div>
            ))}
          </ScrollArea>
        </AppShell.Navbar>
        <AppShell.Main id="main">
          <OfflineBanner state={connection} />
          <Page route={route} hasSession={token !== null} />
        </AppShell.Main>
      </AppShell>
      {token && <LockScreen />}
    </StepUpProvider>
  );
}

function Page({ route, hasSession }: { route: Route; hasSession: boolean }): ReactNode {
  if (route.page === 'invitation') return <InvitationWizard key={route.token} token={route.token} />;
  if (route.page === 'developer') return <OutboxPage />;
  if (route.page === 'workspace' && route.workspace === 'status') return <StatusPage />;
  if (!isPublicRoute(route) && !hasSession) return <LoginPage />;
  return <SignedInPage route={route} />;
}

function SignedInPage({ route }: { route: Route }): ReactNode {
  const { t } = useTranslation();
  const me = useCurrentUser();
  if (me.isError && !me.data) {
    return (
      <Alert color="red" role="alert" mt="md">
        <Stack gap="xs" align="flex-start">
          {errorText(me.error)}
          <Button size="xs" variant="default" onClick={() => void me.refetch()}>
            {t('error.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (!me.data) {
    return (
      <Center mt="xl">
        <Loader size="sm" />
      </Center>
    );
  }
  if (route.page === 'activity') return <ActivityPage />;
  if (route.page === 'start') return <StartPage />;
  if (route.page === 'consultations') return <ConsultationsPage />;
  if (route.page === 'patient') return <JournalPage patientId={route.patientId} />;
  if (route.page === 'workspace' && route.workspace === 'journal') return <JournalPage />;
  if (route.page === 'workspace' && route.workspace === 'admin') return <AdminPage />;
  if (route.page === 'workspace' && route.workspace !== 'status') return <WorkspacePage workspace={route.workspace} />;
  return null;
}
