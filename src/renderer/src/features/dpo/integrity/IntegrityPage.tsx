import { DpoPlaceholder } from '../DpoPlaceholder';

export function IntegrityPage() {
  return <DpoPlaceholder section="integrity" />;
}
