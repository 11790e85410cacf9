import { DEMO_EMPLOYEE_COUNT, type DemoEmployee, demoEmployee } from './portal-seed';

/**
 * The sample employee file (resources/demo/ansatte-eksempel.csv, CRM-4) as text: what an HR
 * department exports from Excel in Norway (saved as Windows-1252 with `;` by the script
 * scripts/demo-employee-csv.ts). Against the demo customer it shows every outcome:
 * 10 unchanged (skip), 5 with a new phone (update), 41 new (create; one name starting with "=",
 * which the import strips), 1 number repeated in the file (skipped, noted), 4 errors.
 */
export const SAMPLE_FILE_OUTCOMES = { total: 61, create: 41, update: 5, skip: 11, error: 4 } as const;

/** "+4791000000" as people type it: "910 00 000". */
function typedPhone(phone: string | null): string {
  if (phone === null) return '';
  const digits = phone.slice(3);
  return `${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`;
}

const DEPARTMENTS = ['Produksjon', 'Verksted', 'Administrasjon', 'Innkjøp', 'Kvalitet og HMS'];

function line(employee: DemoEmployee, index: number, overrides: Partial<Record<'name' | 'number' | 'phone' | 'email', string>> = {}): string {
  const cells = [
    overrides.name ?? employee.fullName,
    overrides.number ?? employee.nationalId,
    overrides.phone ?? typedPhone(employee.phone),
    overrides.email ?? employee.email ?? '',
    DEPARTMENTS[index % DEPARTMENTS.length]!,
  ];
  // Quoted only where a cell needs it, as Excel does.
  return cells.map((cell) => (/[;"\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(';');
}

export function sampleEmployeeCsvText(): string {
  const lines = ['Navn;Fødselsnummer;Mobil;E-post;Avdeling'];
  // On file already, unchanged.
  for (let index = 0; index < 10; index++) lines.push(line(demoEmployee(index), index));
  // On file already, with a new mobile number.
  for (let index = 10; index < 15; index++) lines.push(line(demoEmployee(index), index, { phone: `98 ${String(index).padStart(2, '0')} 45 67` }));
  // New employees.
  for (let index = DEMO_EMPLOYEE_COUNT; index < DEMO_EMPLOYEE_COUNT + 40; index++) lines.push(line(demoEmployee(index), index));
  const extra = demoEmployee(DEMO_EMPLOYEE_COUNT + 40);
  lines.push(line(extra, 40, { name: `=${extra.fullName}` }));
  // Problems: a repeated number, a mistyped number, a missing one, an e-mail and a phone that are not.
  lines.push(line(demoEmployee(DEMO_EMPLOYEE_COUNT + 1), 41, { name: 'Dobbelt Registrert' }));
  const mistyped = demoEmployee(DEMO_EMPLOYEE_COUNT + 41);
  lines.push(line(mistyped, 42, { number: `${mistyped.nationalId.slice(0, 10)}${(Number(mistyped.nationalId[10]) + 1) % 10}` }));
  lines.push(line(demoEmployee(DEMO_EMPLOYEE_COUNT + 42), 43, { number: '' }));
  lines.push(line(demoEmployee(DEMO_EMPLOYEE_COUNT + 43), 44, { email: 'ola.nordmann(at)fjellheim-bygg' }));
  lines.push(line(demoEmployee(DEMO_EMPLOYEE_COUNT + 44), 45, { phone: '12 34' }));
  return `${lines.join('\r\n')}\r\n`;
}
