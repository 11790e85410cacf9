import { writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { sampleEmployeeCsvText } from '../src/server/demo/employee-csv';

/**
 * Writes resources/demo/ansatte-eksempel.csv (CRM-4): the sample employee file for the demo
 * customer, as Excel in Norway saves it (Windows-1252, `;`, CRLF). A test checks the committed
 * file is what this writes. Run: npx tsx scripts/demo-employee-csv.ts
 */
writeFileSync(new URL('../resources/demo/ansatte-eksempel.csv', import.meta.url), iconv.encode(sampleEmployeeCsvText(), 'win1252'));
