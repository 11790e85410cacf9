import { PACKAGE_SECTIONS, type PackageSection } from '../../shared/dpo-export-schemas';
import type { Executor } from '../db/database';
import type { CollectOptions, PackageItem, PersonDataCategory, PersonIdentifiers } from './category';

/**
 * The access package's collector (DPO-5): everything every category of the registry holds of the
 * person, by its own collectForPerson, in its own section. It knows no module's tables: a module
 * that registers a category is in the package. The person may be known by more than one set of
 * identifiers (the request's, and the journal patient's own e-mail and phone): each is asked, and
 * an item found twice is kept once.
 */
export async function collectPersonData(
  trx: Executor,
  categories: readonly PersonDataCategory[],
  options: Omit<CollectOptions, 'person'> & { persons: readonly PersonIdentifiers[] },
): Promise<Record<PackageSection, PackageItem[]>> {
  const sections = Object.fromEntries(PACKAGE_SECTIONS.map((section) => [section, [] as PackageItem[]])) as Record<PackageSection, PackageItem[]>;
  const seen = new Set<string>();
  for (const category of categories) {
    for (const person of options.persons) {
      for (const item of await category.collectForPerson(trx, { organisationId: options.organisationId, person, now: options.now, journalAccess: options.journalAccess })) {
        const key = `${category.packageSection}/${item.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        sections[category.packageSection].push(item);
      }
    }
  }
  return sections;
}
