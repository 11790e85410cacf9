import { describe, expect, it } from 'vitest';
import { basesFor, fittingBasis, sourcesFor } from '../../../src/renderer/src/features/crm/basis-options';
import { formatOrganisationNumber } from '../../../src/renderer/src/features/crm/format';
import { sectionOf } from '../../../src/renderer/src/features/crm/task-sections';
import { CONTACT_PURPOSES, LEGAL_BASES, LEGAL_BASIS_SOURCES, legalBasisInputSchema } from '../../../src/shared/crm-schemas';

describe('formatOrganisationNumber', () => {
  it('CRM-1: nine digits are shown 3-3-3, typed with or without spaces', () => {
    expect(formatOrganisationNumber('923609016')).toBe('923 609 016');
    expect(formatOrganisationNumber('923 609 016')).toBe('923 609 016');
  });

  it.each(['', '12345', '123456789', '9236090160', 'abc'])('CRM-1: %j is not an organisation number and is shown as it is', (value) => {
    expect(formatOrganisationNumber(value)).toBe(value);
  });
});

describe('the legal-basis choices of the forms', () => {
  const evidence = 'Samtykketekst fra skjemaet';
  const accepts = (purpose: string, basis: string, source: string) => legalBasisInputSchema.safeParse({ purpose, basis, source, evidence }).success;

  it('CRM-2: every purpose, basis and source the forms offer is one the server accepts', () => {
    let offered = 0;
    for (const purpose of CONTACT_PURPOSES) {
      expect(basesFor(purpose).length, purpose).toBeGreaterThan(0);
      for (const basis of basesFor(purpose)) {
        for (const source of sourcesFor(basis)) {
          expect(accepts(purpose, basis, source), `${purpose} ${basis} ${source}`).toBe(true);
          offered++;
        }
      }
    }
    expect(offered).toBeGreaterThan(CONTACT_PURPOSES.length);
  });

  it('CRM-2: every combination the server accepts is offered (the forms hide nothing allowed)', () => {
    for (const purpose of CONTACT_PURPOSES) {
      for (const basis of LEGAL_BASES) {
        for (const source of LEGAL_BASIS_SOURCES) {
          const isOffered = (basesFor(purpose) as string[]).includes(basis) && sourcesFor(basis).includes(source);
          expect(isOffered, `${purpose} ${basis} ${source}`).toBe(accepts(purpose, basis, source));
        }
      }
    }
  });

  it('CRM-2: the newsletter rests on consent only; customer follow-up may rest on the agreement', () => {
    expect(basesFor('newsletter')).toEqual(['consent']);
    expect(basesFor('account_follow_up')).toContain('contract');
    expect(sourcesFor('contract')).toEqual(['agreement']);
  });

  it('CRM-2: a new purpose keeps the chosen basis and source when they fit, else takes the first that does', () => {
    expect(fittingBasis('direct_sales', 'legitimate_interest', 'public_sources')).toEqual({ basis: 'legitimate_interest', source: 'public_sources' });
    expect(fittingBasis('newsletter', 'legitimate_interest', 'public_sources')).toEqual({ basis: 'consent', source: 'contact_form' });
    expect(fittingBasis('account_follow_up', 'contract', 'public_sources')).toEqual({ basis: 'contract', source: 'agreement' });
    for (const purpose of CONTACT_PURPOSES) {
      const { basis, source } = fittingBasis(purpose, 'legitimate_interest', 'public_sources');
      expect(accepts(purpose, basis, source), purpose).toBe(true);
    }
  });
});

describe('sectionOf (my tasks)', () => {
  const today = '2026-12-07';
  it('CRM-3: overdue as the server says, then due today, then later; done ones apart', () => {
    expect(sectionOf({ doneAt: null, isOverdue: true, dueOn: '2026-12-01' }, today)).toBe('overdue');
    expect(sectionOf({ doneAt: null, isOverdue: false, dueOn: today }, today)).toBe('today');
    expect(sectionOf({ doneAt: null, isOverdue: false, dueOn: '2026-12-08' }, today)).toBe('later');
    expect(sectionOf({ doneAt: '2026-12-06T10:00:00.000Z', isOverdue: false, dueOn: '2026-12-01' }, today)).toBe('done');
  });

  it('CRM-3: a task the server does not yet call overdue (its clock a little behind) is shown as due today, not later', () => {
    expect(sectionOf({ doneAt: null, isOverdue: false, dueOn: '2026-12-06' }, today)).toBe('today');
  });
});
