import { expect, type Page } from '@playwright/test';

/** Looks a patient up through the journal's search and opens their record (in Bokmål). */
export async function openPatient(page: Page, query: string, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Journal' }).click();
  await page.getByLabel('Søk etter pasient').fill(query);
  await page.getByRole('button', { name: 'Søk', exact: true }).click();
  await page.getByTestId('search-results').getByRole('link', { name }).click();
  await expect(page.getByTestId('patient-header')).toBeVisible();
}
