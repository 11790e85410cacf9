import { DpoPlaceholder } from '../DpoPlaceholder';

export function RetentionPage() {
  return <DpoPlaceholder section="retention" />;
}
