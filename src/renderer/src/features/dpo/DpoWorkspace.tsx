import { Stack } from '@mantine/core';
import type { ComponentType } from 'react';
import { lazyComponent } from '../../lib/lazy-component';
import type { DpoSection } from '../shell/routes';

/**
 * The DPO's workspace (DPO-1…8): one page per tool, each loaded only when opened. The main menu
 * names every tool (navigation.ts); `#/dpo` itself lands on the flags dashboard, the daily view.
 */
const SECTION_PAGES: Record<DpoSection | 'flags', ComponentType> = {
  flags: lazyComponent(() => import('./flags/FlagsDashboardPage').then((module) => module.FlagsDashboardPage)),
  log: lazyComponent(() => import('./log/LogReviewPage').then((module) => module.LogReviewPage)),
  'access-report': lazyComponent(() => import('./access-report/AccessReportPage').then((module) => module.AccessReportPage)),
  cases: lazyComponent(() => import('./cases/CasesPage').then((module) => module.CasesPage)),
  retention: lazyComponent(() => import('./retention/RetentionPage').then((module) => module.RetentionPage)),
  registers: lazyComponent(() => import('./registers/RegistersPage').then((module) => module.RegistersPage)),
  integrity: lazyComponent(() => import('./integrity/IntegrityPage').then((module) => module.IntegrityPage)),
};

export function DpoWorkspace({ section }: { section: DpoSection | 'flags' }) {
  const Page = SECTION_PAGES[section];
  return (
    <Stack gap="md" data-testid="dpo-workspace" data-section={section}>
      <Page />
    </Stack>
  );
}
