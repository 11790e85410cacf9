/** The erasure and restriction tools of a data-subject request's page (DPO-5): filled in by the erasure work. */
export function ErasurePanel({ caseId }: { caseId: string }) {
  return <div data-testid="erasure-panel" data-case-id={caseId} />;
}
