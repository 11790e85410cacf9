import { AppShell, Badge, Burger, Group, NavLink, ScrollArea, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';
import { ConnectionIndicator } from '../connection/ConnectionIndicator';
import { OfflineBanner } from '../connection/OfflineBanner';
import { type ConnectionState, useConnectionStatus } from '../connection/use-connection-status';
import { StatusPage } from '../system/StatusPage';
import { WorkspacePage } from '../workspace/WorkspacePage';
import { LanguageSwitch } from './LanguageSwitch';
import { type Workspace, WORKSPACES, workspaceFromHash } from './workspaces';

/** Follows the URL hash so a workspace can be linked and the back button works. */
function useWorkspace(): [Workspace, (workspace: Workspace) => void] {
  const [workspace, setWorkspace] = useState<Workspace>(() => workspaceFromHash(window.location.hash));
  useEffect(() => {
    const onHashChange = () => setWorkspace(workspaceFromHash(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  return [workspace, (next) => (window.location.hash = `/${next}`)];
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

export function AppLayout() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [isNavOpen, { toggle: toggleNav }] = useDisclosure();
  const [workspace, openWorkspace] = useWorkspace();
  const connection = useConnectionStatus();
  useBackOnlineNotice(connection);
  const info = useQuery(trpc.system.info.queryOptions(undefined, { staleTime: Infinity }));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !isNavOpen } }} padding="md">
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
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.label')}>
        <ScrollArea>
          {WORKSPACES.map((name) => (
            <NavLink
              key={name}
              href={`#/${name}`}
              label={t(`nav.${name}`)}
              active={workspace === name}
              aria-current={workspace === name ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault();
                openWorkspace(name);
              }}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main">
        <OfflineBanner state={connection} />
        {workspace === 'status' ? <StatusPage /> : <WorkspacePage workspace={workspace} />}
      </AppShell.Main>
    </AppShell>
  );
}
