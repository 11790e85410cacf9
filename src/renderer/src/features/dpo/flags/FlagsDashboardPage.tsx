import { DpoPlaceholder } from '../DpoPlaceholder';

export function FlagsDashboardPage() {
  return <DpoPlaceholder section="flags" />;
}
