import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';

function pdfText(base64: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'jk-print-'));
  const path = join(folder, 'print.pdf');
  writeFileSync(path, Buffer.from(base64, 'base64'));
  // pdftotext (poppler-utils) is an independent reader of what we wrote.
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('printing (JRN-5, AUD-2)', () => {
  const database = useTestDatabase();

  it('JRN-5/AUD-2: the PDF says who printed it and when on every page, and the print event holds the IP', async () => {
    const clock = new TestClock(new Date('2026-11-22T13:45:00Z'));
    const organisation = await createOrganisation(database.current.db, 'Blåbærklinikken AS');
    const user = await createUser(database.current.db, organisation.id, { roles: ['clinician'], displayName: 'Øystein Ærlig' });
    const { token } = await login(database.current, user, clock);
    const caller = callerAs(database.current, token, clock, { clientIp: '10.1.2.3' });
    const { patientId } = await caller.patients.register({ nationalId: '15076500050', givenName: 'Åse', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' });
    const longBody = Array.from({ length: 120 }, (_, index) => `Linje ${index + 1}: smerter i høyre kne, får råd om å øke aktivitet gradvis.`).join('\n');
    const { noteId } = await caller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-22', body: longBody });
    await caller.journal.sign({ noteId });
    await caller.journal.createDraft({ patientId, noteType: 'phone', consultationDate: '2026-11-22', body: 'UTKAST-SOM-IKKE-SKAL-MED' });

    const printed = await caller.journal.print({ patientId });
    expect(printed.pageNoteCount).toBe(1);
    const events = await eventsOf(database.current.db, { action: 'journal.printed' });
    expect(events).toEqual([expect.objectContaining({ client_ip: '10.1.2.3', patient_id: patientId, outcome: 'allowed', details: expect.objectContaining({ noteIds: [noteId] }) })]);
    // Ordinary actions never store the IP, even from the same client.
    const others = (await eventsOf(database.current.db)).filter((event) => event.action !== 'journal.printed');
    expect(others.every((event) => event.client_ip === null)).toBe(true);

    if (!hasPdftotext) {
      console.warn('pdftotext (poppler-utils) is missing: the PDF text was not checked');
      return;
    }
    const text = pdfText(printed.pdfBase64);
    const pages = text.split('\f').filter((page) => page.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    for (const [index, page] of pages.entries()) {
      expect(page).toContain(`Skrevet ut av Øystein Ærlig, lege, 22.11.2026 14:45 · side ${index + 1} av ${pages.length}`);
    }
    expect(text).toContain('Journal: Nordmann, Åse');
    expect(text).toContain('Blåbærklinikken AS');
    expect(text).toContain('smerter i høyre kne, får råd');
    expect(text).not.toContain('UTKAST-SOM-IKKE-SKAL-MED');
  });

  it('AUTH-5/ACC-5: printing needs step-up, and a refused print is logged without a document', async () => {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const stranger = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const caller = callerAs(database.current, (await login(database.current, user, clock)).token, clock);
    const strangerCaller = callerAs(database.current, (await login(database.current, stranger, clock)).token, clock, { clientIp: '10.9.9.9' });
    const { patientId } = await caller.patients.register({ nationalId: '15076500050', givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' });
    await expect(strangerCaller.journal.print({ patientId })).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'access.no_basis' });
    expect(await eventsOf(database.current.db, { action: 'journal.printed', userId: stranger.id })).toEqual([expect.objectContaining({ outcome: 'denied', reason: 'no_basis' })]);
    clock.advance(6 * 60_000);
    await expect(caller.journal.print({ patientId })).rejects.toMatchObject({ message: 'auth.step_up_required' });
  });
});
