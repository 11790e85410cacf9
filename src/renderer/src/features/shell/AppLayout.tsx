import { Alert, AppShell, Badge, Burger, Button, Center, Divider, Group, Loader, NavLink, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { type MouseEvent, type ReactNode, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { lazyComponent } from '../../lib/lazy-component';
import { errorText } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { LoginPage } from '../auth/LoginPage';
import { useCurrentUser, useSession } from '../auth/session-context';
import { StepUpProvider } from '../auth/step-up';
import { useIdleLock } from '../auth/use-idle-lock';
import { ConnectionIndicator } from '../connection/ConnectionIndicator';
import { OfflineBanner } from '../connection/OfflineBanner';
import { type ConnectionState, useConnectionStatus } from '../connection/use-connection-status';
import { LanguageSwitch } from './LanguageSwitch';
import { isRouteAllowed, landingRouteFor, navigationFor } from './navigation';
import { hashOf, isPublicRoute, type Route } from './routes';
import { useRoute } from './use-route';

const ActivityPage = lazyComponent(() => import('../account/ActivityPage').then((module) => module.ActivityPage));
const AdminPage = lazyComponent(() => import('../admin/AdminPage').then((module) => module.AdminPage));
const InvitationWizard = lazyComponent(() => import('../auth/InvitationWizard').then((module) => module.InvitationWizard));
const LockScreen = lazyComponent(() => import('../auth/LockScreen').then((module) => module.LockScreen));
const OutboxPage = lazyComponent(() => import('../developer/OutboxPage').then((module) => module.OutboxPage));
const JournalPage = lazyComponent(() => import('../journal/JournalPage').then((module) => module.JournalPage));
const StartPage = lazyComponent(() => import('../start/StartPage').then((module) => module.StartPage));
const DispatchPage = lazyComponent(() => import('../visits/DispatchPage').then((module) => module.DispatchPage));
const MyVisitsPage = lazyComponent(() => import('../visits/MyVisitsPage').then((module) => module.MyVisitsPage));
const ConsultationsPage = lazyComponent(() => import('../consultations/ConsultationsPage').then((module) => module.ConsultationsPage));
const StatusPage = lazyComponent(() => import('../system/StatusPage').then((module) => module.StatusPage));
// The user menu (Mantine's Menu, Popover and floating-ui) is only there once someone is logged in.
const UserMenu = lazyComponent(() => import('./UserMenu').then((module) => module.UserMenu));
// The CRM's pages (CRM-1…3) load only when a sales user or an admin opens them.
const CompaniesPage = lazyComponent(() => import('../crm/CompaniesPage').then((module) => module.CompaniesPage));
const CompanyPage = lazyComponent(() => import('../crm/CompanyPage').then((module) => module.CompanyPage));
const MyTasksPage = lazyComponent(() => import('../crm/MyTasksPage').then((module) => module.MyTasksPage));
const PipelinePage = lazyComponent(() => import('../crm/PipelinePage').then((module) => module.PipelinePage));
// The DPO's workspace (DPO-1…8): each of its tools loads when opened.
const DpoWorkspace = lazyComponent(() => import('../dpo/DpoWorkspace').then((module) => module.DpoWorkspace));
const DsrCasePage = lazyComponent(() => import('../dpo/cases/DsrCasePage').then((module) => module.DsrCasePage));

function PageLoader() {
  return (
    <Center mt="xl">
      <Loader size="sm" />
    </Center>
  );
}

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

/**
 * Is the menu entry `target` where `route` is? A patient's journal belongs to the journal
 * workspace, a company's page to the CRM's company list.
 */
function isSameRoute(route: Route, target: Route): boolean {
  if (route.page === 'patient') return target.page === 'workspace' && target.workspace === 'journal';
  if (route.page === 'company') return target.page === 'workspace' && target.workspace === 'crm';
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
  const roles = token === null ? [] : (me.data?.roles ?? []);

  const labelOf = (target: Route): string => {
    if (target.page === 'workspace') return t(`nav.${target.workspace}`);
    if (target.page === 'start') return t('start.navLabel');
    if (target.page === 'consultations') return t('consultations.navLabel');
    if (target.page === 'visits') return t('nav.visits');
    if (target.page === 'dispatch') return t('nav.dispatch');
    if (target.page === 'crmTasks') return t('crm.nav.tasks');
    if (target.page === 'crmPipeline') return t('crm.nav.pipeline');
    if (target.page === 'dpo') return t(`dpo.nav.${target.section}`);
    return t('nav.developer');
  };
  const navRoutes = navigationFor(roles, { isDemo: info.data?.isDemo === true }).map((target) => ({ route: target, label: labelOf(target) }));

  // The skip link moves focus into the page; following its href would change the route (PLAT-11).
  const skipToMain = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  };

  return (
    <StepUpProvider>
      <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !isNavOpen } }} padding="md">
        <a href="#main" className="skip-link" onClick={skipToMain}>
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
              {token && (
                <Suspense fallback={null}>
                  <UserMenu />
                </Suspense>
              )}
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label={t('nav.label')}>
          {/* Native scrolling: a few entries need no custom scroll bars (and the login page loads less). */}
          <div className="app-nav-entries">
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
          </div>
        </AppShell.Navbar>
        {/* Focusable by script only, as the skip link's target. */}
        <AppShell.Main id="main" tabIndex={-1} className="app-main">
          <OfflineBanner state={connection} />
          <Suspense fallback={<PageLoader />}>
            <Page route={route} hasSession={token !== null} />
          </Suspense>
        </AppShell.Main>
      </AppShell>
      {token && (
        <Suspense fallback={null}>
          <LockScreen />
        </Suspense>
      )}
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

/** The app opened without a page in its address: the user goes to their own workspace. */
function isBareAddress(): boolean {
  return window.location.hash === '' || window.location.hash === '#' || window.location.hash === '#/';
}

/**
 * A signed-in user's page. The bare address and any page their roles do not open lead to their
 * own workspace (issue 9 §1), instead of a page that refuses them.
 */
function SignedInPage({ route }: { route: Route }): ReactNode {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const landing = me.data && (isBareAddress() || !isRouteAllowed(route, me.data.roles)) ? landingRouteFor(me.data.roles) : null;
  const landingHash = landing ? hashOf(landing) : null;
  useEffect(() => {
    // Replace, not push: the back button does not return to a page that sends you on again.
    if (landingHash) window.location.replace(landingHash);
  }, [landingHash]);
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
  if (!me.data) return <PageLoader />;
  if (landing) return <PageLoader />;
  if (route.page === 'activity') return <ActivityPage />;
  if (route.page === 'start') return <StartPage />;
  if (route.page === 'consultations') return <ConsultationsPage />;
  if (route.page === 'dispatch') return <DispatchPage />;
  if (route.page === 'visits') return <MyVisitsPage />;
  if (route.page === 'patient') return <JournalPage patientId={route.patientId} />;
  if (route.page === 'workspace' && route.workspace === 'journal') return <JournalPage />;
  if (route.page === 'workspace' && route.workspace === 'admin') return <AdminPage />;
  if (route.page === 'workspace' && route.workspace === 'crm') return <CompaniesPage />;
  if (route.page === 'company') return <CompanyPage key={route.companyId} companyId={route.companyId} />;
  if (route.page === 'crmTasks') return <MyTasksPage />;
  if (route.page === 'crmPipeline') return <PipelinePage />;
  if (route.page === 'workspace' && route.workspace === 'dpo') return <DpoWorkspace section="flags" />;
  if (route.page === 'dpo') return <DpoWorkspace section={route.section} />;
  if (route.page === 'dsrCase') return <DsrCasePage key={route.caseId} caseId={route.caseId} />;
  return null;
}
