import { Stack } from '@mantine/core';
import { DpoPlaceholder } from '../DpoPlaceholder';
import { ErasurePanel } from '../erasure/ErasurePanel';
import { AccessPackagePanel } from '../exports/AccessPackagePanel';

export function DsrCasePage({ caseId }: { caseId: string }) {
  return (
    <Stack gap="lg" data-case-id={caseId}>
      <DpoPlaceholder section="cases" />
      <ErasurePanel caseId={caseId} />
      <AccessPackagePanel caseId={caseId} />
    </Stack>
  );
}
