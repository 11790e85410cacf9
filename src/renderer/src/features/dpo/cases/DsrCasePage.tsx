import { Stack } from '@mantine/core';
import { DpoPlaceholder } from '../DpoPlaceholder';
import { AccessPackagePanel } from '../exports/AccessPackagePanel';

// Stand-in until the cases part lands; renders the access package panel so it can be tried (h6-exports only).
export function DsrCasePage({ caseId }: { caseId: string }) {
  return (
    <Stack data-case-id={caseId}>
      <DpoPlaceholder section="cases" />
      <AccessPackagePanel caseId={caseId} />
    </Stack>
  );
}
