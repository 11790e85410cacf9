import { DpoPlaceholder } from '../DpoPlaceholder';

export function CasesPage() {
  return <DpoPlaceholder section="cases" />;
}
