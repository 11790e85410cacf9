import { DpoPlaceholder } from '../DpoPlaceholder';

export function RegistersPage() {
  return <DpoPlaceholder section="registers" />;
}
