import { Stack } from '@mantine/core';
import { ErasurePanel } from '../erasure/ErasurePanel';
import { DpoPlaceholder } from '../DpoPlaceholder';

export function DsrCasePage({ caseId }: { caseId: string }) {
  return (
    <Stack gap="lg" data-case-id={caseId}>
      <DpoPlaceholder section="cases" />
      {/* The erasure part's panel, shown on the stand-in until the case page is built (the lead merges the two). */}
      <ErasurePanel caseId={caseId} />
    </Stack>
  );
}
