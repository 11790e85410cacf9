import { Stack } from '@mantine/core';
import { DpoPlaceholder } from '../DpoPlaceholder';
import { LogExportCard } from '../exports/LogExportCard';

// Stand-in until the integrity part lands; renders the log export card so it can be tried (h6-exports only).
export function IntegrityPage() {
  return (
    <Stack>
      <DpoPlaceholder section="integrity" />
      <LogExportCard />
    </Stack>
  );
}
