import 'dayjs/locale/nb';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { osloCalendarDate } from '../../../../shared/oslo-time';
import { useTRPC } from '../../lib/trpc';
import { AgreementCard } from './AgreementCard';
import { EmployeesPanel } from './EmployeesPanel';
import { ImportWizard } from './ImportWizard';

/** Import states a reload comes back to (the wizard resumes at the step). */
const UNFINISHED = new Set(['validating', 'ready', 'committing']);

/**
 * CRM-4: the corporate portal on a customer's company page (sales and administrators): the
 * agreement, the employees it covers, and their import from CSV. Mounted by the CRM's company page.
 */
export function PortalTab({ companyId }: { companyId: string }) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const agreement = useQuery(trpc.portal.agreement.queryOptions({ companyId }));
  const latestImport = useQuery(trpc.portal.import.latest.queryOptions({ companyId }));
  const [isImporting, setIsImporting] = useState(false);
  const today = osloCalendarDate(new Date());
  const canAdd = agreement.data ? agreement.data.endsOn === null || agreement.data.endsOn >= today : false;
  const unfinished = latestImport.data && UNFINISHED.has(latestImport.data.status) ? latestImport.data : null;

  return (
    // Dates in the user's language, weeks from Monday as in Norway.
    <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en' : 'nb', firstDayOfWeek: 1 }}>
      <Stack gap="md" data-testid="portal-tab">
        <AgreementCard companyId={companyId} today={today} />
        {unfinished && !isImporting && (
          <Alert color="blue" data-testid="import-unfinished">
            <Group justify="space-between">
              <Text size="sm">{t('portal.import.inProgress', { fileName: unfinished.fileName })}</Text>
              <Button size="xs" onClick={() => setIsImporting(true)}>
                {t('portal.import.resume')}
              </Button>
            </Group>
          </Alert>
        )}
        <EmployeesPanel
          companyId={companyId}
          canAdd={canAdd}
          importButton={
            <Button variant="light" onClick={() => setIsImporting(true)} disabled={!canAdd}>
              {t('portal.import.open')}
            </Button>
          }
        />
        <ImportWizard companyId={companyId} opened={isImporting} onClose={() => setIsImporting(false)} />
      </Stack>
    </DatesProvider>
  );
}
