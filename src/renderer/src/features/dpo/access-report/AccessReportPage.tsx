import { DpoPlaceholder } from '../DpoPlaceholder';

export function AccessReportPage() {
  return <DpoPlaceholder section="access-report" />;
}
