import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { apiAs } from './support/api';
import { Authenticator } from './support/authenticator';
import { backendForFile } from './support/file-backend';
import { logInAsDemoUser } from './support/login';
import { keepScreenshot } from './support/screenshot';

/**
 * VIS-1, VIS-3, ACC-2 end to end in Chromium against the real backend (demo mode): a booking sent
 * to the public endpoint appears on an open dispatch board without a reload (the live channel);
 * the coordinator assigns Lars Lege; Lars accepts, goes en route with an ETA, arrives, documents
 * the visit (linking the booking to the patient register by fødselsnummer, which starts a
 * home-visit note in the patient's journal), writes the note and completes the visit; the board
 * shows it completed, again without a reload.
 */

const backend = backendForFile();
const authenticator = new Authenticator();

const COORDINATOR = 'koordinator@demo.journalkontor.no';
const LARS = 'lege@demo.journalkontor.no';

/** A person not in the demo's register; the synthetic number (month + 80) agrees with the date of birth and gender. */
const PERSON = { fullName: `Solveig Hjemme ${randomUUID().slice(0, 6)}`, dateOfBirth: '1948-03-14', gender: 'female', nationalId: '14834801826' } as const;

/** The instant some minutes from now, and its Oslo clock time (hh:mm). */
function minutesFromNow(minutes: number): { iso: string; clock: string } {
  const at = new Date(Date.now() + minutes * 60_000);
  const clock = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return { iso: at.toISOString(), clock };
}

function bookingRow(page: Page, status: string) {
  return page.getByTestId(`board-${status}`).getByTestId('board-booking').filter({ hasText: PERSON.fullName });
}

test('VIS-1, VIS-3, ACC-2: a web booking appears live on the board, is assigned to Lars, and Lars takes it to completed with a journal note', async ({ browser }, testInfo) => {
  test.setTimeout(240_000);

  // Setup through the API: Lars must be on shift today for the board to offer him.
  const lars = await apiAs(backend(), authenticator, LARS);
  const larsId = (await lars.auth.session.me.query()).userId;
  const coordinatorApi = await apiAs(backend(), authenticator, COORDINATOR);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const before = await coordinatorApi.visits.board.query({ date: today });
  if (!before.doctors.some((doctor) => doctor.id === larsId)) {
    await coordinatorApi.visits.createShift.mutate({ doctorId: larsId, startsAt: minutesFromNow(-60).iso, endsAt: minutesFromNow(8 * 60).iso, visitCap: 8 });
  }

  // The coordinator's board is open before the booking exists.
  const coordinator = await logInAsDemoUser(browser, backend(), authenticator, COORDINATOR, { hash: '#/dispatch' });
  const board = coordinator.page;
  await expect(board.getByTestId('dispatch-page')).toBeVisible();
  await expect(board.getByRole('heading', { level: 2, name: 'Hjemmebesøk' })).toBeVisible();
  await expect(board.getByTestId('live-state')).toHaveAttribute('data-live', 'true');

  // VIS-1: the public form's request, as a browser on the clinic's web site would send it.
  const response = await fetch(`${backend().url}/public/home-visit-bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({
      clinic: 'demo',
      fullName: PERSON.fullName,
      street: 'Bjørnstjerne Bjørnsons gate 7',
      postcode: '0256',
      city: 'Oslo',
      gender: PERSON.gender,
      dateOfBirth: PERSON.dateOfBirth,
      phone: '912 34 567',
      email: '',
      reason: 'Feber og hoste i tre dager, klarer ikke å komme seg til legekontoret.',
      urgency: 'urgent',
      earliestAt: minutesFromNow(5).iso,
      latestAt: null,
    }),
  });
  expect(response.status).toBe(201);
  expect(await response.json()).toEqual({ status: 'received' });

  // VIS-3: on the open board without a reload, sooner than the 10 s fallback would fetch it.
  const requested = bookingRow(board, 'requested');
  await expect(requested).toBeVisible({ timeout: 5_000 });
  await expect(requested).toContainText('Haster');
  await expect(requested).toContainText('0256 Oslo');
  await keepScreenshot(board, testInfo, 'dispatch-board');

  // Assign Lars: the select shows each doctor on shift with load and cap.
  await requested.getByRole('button', { name: 'Tildel lege' }).click();
  const assign = board.getByTestId('assign-modal');
  await assign.getByRole('combobox', { name: 'Lege' }).selectOption(larsId);
  await assign.getByRole('button', { name: 'Tildel', exact: true }).click();
  await expect(assign).toBeHidden();
  const assigned = bookingRow(board, 'assigned');
  await expect(assigned).toContainText('Lars Lege');

  // The booking's drawer: details and the timeline (requested → assigned, by the coordinator).
  await assigned.getByRole('button', { name: PERSON.fullName }).click();
  const drawer = board.getByTestId('booking-drawer');
  await expect(drawer.getByTestId('booking-details')).toContainText('Bjørnstjerne Bjørnsons gate 7');
  await expect(drawer.getByTestId('booking-timeline')).toContainText('Bestilt → Tildelt');
  await keepScreenshot(board, testInfo, 'dispatch-booking');
  // VIS-3: an exception (a late start) recorded on the booking is listed on the board.
  await drawer.getByLabel('Type avvik').selectOption('late_start');
  await drawer.getByRole('button', { name: 'Registrer avvik' }).click();
  await expect(drawer.getByTestId('booking-exception-list')).toContainText('Sen start');
  await board.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(board.getByTestId('dispatch-exceptions')).toContainText('Sen start');

  // Lars: his visits of the day, the new one with address, reason and phone.
  const doctor = await logInAsDemoUser(browser, backend(), authenticator, LARS, { hash: '#/visits' });
  const page = doctor.page;
  await expect(page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Mine besøk' })).toBeVisible();
  const visit = page.getByTestId('my-visit').filter({ hasText: PERSON.fullName });
  await expect(visit).toContainText('Bjørnstjerne Bjørnsons gate 7, 0256 Oslo');
  await expect(visit).toContainText('Feber og hoste');
  await expect(visit).toContainText('+4791234567');

  await visit.getByRole('button', { name: 'Godta' }).click();
  await visit.getByLabel('Ventet fram (tt:mm)').fill(minutesFromNow(30).clock);
  await visit.getByRole('button', { name: 'På vei' }).click();
  await expect(visit).toHaveAttribute('data-status', 'en_route');
  await expect(bookingRow(board, 'en_route')).toBeVisible({ timeout: 5_000 });
  await visit.getByRole('button', { name: 'Framme' }).click();
  await expect(visit).toHaveAttribute('data-status', 'arrived');

  // Completing needs a note first; documenting asks for the fødselsnummer (the web booking had none).
  await expect(visit.getByRole('button', { name: 'Fullfør besøket' })).toBeDisabled();
  await expect(visit).toContainText('For å fullføre besøket trengs et journalnotat');
  await visit.getByRole('button', { name: 'Dokumenter besøket' }).click();
  await visit.getByLabel('Fødselsnummer').fill(PERSON.nationalId);
  await visit.getByRole('button', { name: 'Koble til pasient' }).click();

  // ACC-2: the assigned visit is the treatment relationship; the journal opens with the new draft.
  await expect(page).toHaveURL(/#\/journal\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('patient-header')).toBeVisible();
  await expect(page.getByTestId('access-basis')).toHaveText('Behandlingsrelasjon');
  const draft = page.getByTestId('note-card').filter({ hasText: 'Hjemmebesøk' });
  await draft.getByRole('button', { name: 'Fortsett å skrive' }).click();
  const editor = page.getByTestId('draft-editor');
  await editor.getByLabel('Tekst').fill('Hjemmebesøk. Feber 38,9, knatrelyder basalt høyre. Startet behandling, kontroll om to dager.');
  await expect(editor.getByTestId('autosave-status')).toHaveText(/^Lagret \d{2}:\d{2}$/);
  await keepScreenshot(page, testInfo, 'visit-note');

  // Back to the visits: complete with that note as the documentation.
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Mine besøk' }).click();
  const arrived = page.getByTestId('my-visit').filter({ hasText: PERSON.fullName });
  await arrived.getByRole('button', { name: 'Fullfør besøket' }).click();
  await expect(arrived).toHaveAttribute('data-status', 'completed');
  await keepScreenshot(page, testInfo, 'my-visits');

  // The board shows it completed, live.
  const completedSection = board.getByTestId('board-completed');
  await completedSection.getByRole('button', { name: 'Vis' }).click();
  await expect(bookingRow(board, 'completed')).toContainText('Lars Lege', { timeout: 5_000 });
  await expect(bookingRow(board, 'en_route')).toHaveCount(0);

  await doctor.page.context().close();
  await coordinator.page.context().close();
});
