import { DpoPlaceholder } from '../DpoPlaceholder';

export function LogReviewPage() {
  return <DpoPlaceholder section="log" />;
}
