import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Stands in for the corporate portal tab (H5's features/portal/PortalTab) until that branch is merged. */
export function PortalTab({ companyId }: { companyId: string }) {
  const { t } = useTranslation();
  return (
    <Alert color="blue" data-company-id={companyId}>
      {t('workspace.notYetAvailable')}
    </Alert>
  );
}
