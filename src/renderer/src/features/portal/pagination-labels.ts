import type { TFunction } from 'i18next';

/** Names for a Mantine Pagination's arrows and page buttons, which otherwise have none a screen reader can say. */
export function paginationLabels(t: TFunction) {
  return {
    getControlProps: (control: 'first' | 'previous' | 'last' | 'next') => ({ 'aria-label': t(`portal.pagination.${control}`) }),
    getItemProps: (page: number) => ({ 'aria-label': t('portal.pagination.page', { page }) }),
  };
}
