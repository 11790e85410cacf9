import type { PersonDataCategory } from './category';

/**
 * DPO-5: accounting records are kept five years (bokføringsloven § 13). Nothing in the product
 * holds accounting records yet (invoicing is done outside it): the category finds nothing, and the
 * ground stands in the register (`retention_exception` 'accounting.record') so the erasure report
 * names it. When invoicing arrives, its module finds the person's invoices here.
 */
export const accountingCategory: PersonDataCategory = {
  name: 'accounting.record',
  descriptionKey: 'dpoErasure.category.accountingRecord',
  keeps: [],
  erasureMethod: 'erased',
  findForPerson: () => Promise.resolve([]),
  packageSection: 'accounting',
  collectForPerson: () => Promise.resolve([]),
  eraseForPerson: () => Promise.reject(new Error('accounting.record is kept by law: never erased by a request')),
};
