/** The access and portability package of a data-subject request's page (DPO-5): filled in by the exports work. */
export function AccessPackagePanel({ caseId }: { caseId: string }) {
  return <div data-testid="access-package-panel" data-case-id={caseId} />;
}
