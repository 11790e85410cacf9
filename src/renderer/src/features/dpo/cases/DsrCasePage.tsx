import { DpoPlaceholder } from '../DpoPlaceholder';

export function DsrCasePage({ caseId }: { caseId: string }) {
  return (
    <div data-case-id={caseId}>
      <DpoPlaceholder section="cases" />
    </div>
  );
}
