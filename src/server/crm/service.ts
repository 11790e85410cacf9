import type { z } from 'zod';
import type {
  companiesSchema,
  companyRefSchema,
  completeTaskSchema,
  contactListSchema,
  createCompanySchema,
  createContactSchema,
  createTaskSchema,
  exportContactsSchema,
  logActivitySchema,
  myTasksSchema,
  pipelineSchema,
  recordBasisSchema,
  recordObjectionSchema,
  setCompanyStatusSchema,
  updateCompanySchema,
  updateContactSchema,
  updateTaskSchema,
  withdrawConsentSchema,
  CompanyStatus,
  ContactPurpose,
} from '../../shared/crm-schemas';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import type { CompanyList, CompanyPage, ContactExport, ContactListRow, LegalBasisRecord, Pipeline, SalesUser, TaskView } from './types';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;
type In<T extends z.ZodType> = z.output<T>;

const notYet = (): never => { throw new Error('not implemented yet'); };

export async function companies(_deps: Deps, _user: SessionUser, _input: In<typeof companiesSchema>): Promise<CompanyList> {
  return notYet();
}

export async function companyPage(_deps: Deps, _user: SessionUser, _input: In<typeof companyRefSchema>): Promise<CompanyPage> {
  return notYet();
}

export async function createCompany(_deps: Deps, _user: SessionUser, _input: In<typeof createCompanySchema>): Promise<{ id: string; version: number }> {
  return notYet();
}

export async function updateCompany(_deps: Deps, _user: SessionUser, _input: In<typeof updateCompanySchema>): Promise<{ id: string; version: number }> {
  return notYet();
}

export async function setCompanyStatus(_deps: Deps, _user: SessionUser, _input: In<typeof setCompanyStatusSchema>): Promise<{ id: string; status: CompanyStatus; version: number }> {
  return notYet();
}

export async function createContact(_deps: Deps, _user: SessionUser, _input: In<typeof createContactSchema>): Promise<{ id: string; version: number }> {
  return notYet();
}

export async function updateContact(_deps: Deps, _user: SessionUser, _input: In<typeof updateContactSchema>): Promise<{ id: string; version: number }> {
  return notYet();
}

export async function recordBasis(_deps: Deps, _user: SessionUser, _input: In<typeof recordBasisSchema>): Promise<LegalBasisRecord> {
  return notYet();
}

export async function withdrawConsent(_deps: Deps, _user: SessionUser, _input: In<typeof withdrawConsentSchema>): Promise<{ withdrawn: ContactPurpose[] }> {
  return notYet();
}

export async function recordObjection(_deps: Deps, _user: SessionUser, _input: In<typeof recordObjectionSchema>): Promise<{ objected: ContactPurpose[] }> {
  return notYet();
}

export async function logActivity(_deps: Deps, _user: SessionUser, _input: In<typeof logActivitySchema>): Promise<{ id: string }> {
  return notYet();
}

export async function createTask(_deps: Deps, _user: SessionUser, _input: In<typeof createTaskSchema>): Promise<{ id: string; version: number }> {
  return notYet();
}

export async function updateTask(_deps: Deps, _user: SessionUser, _input: In<typeof updateTaskSchema>): Promise<{ id: string; version: number }> {
  return notYet();
}

export async function completeTask(_deps: Deps, _user: SessionUser, _input: In<typeof completeTaskSchema>): Promise<{ id: string; version: number }> {
  return notYet();
}

export async function myTasks(_deps: Deps, _user: SessionUser, _input: In<typeof myTasksSchema>): Promise<TaskView[]> {
  return notYet();
}

export async function pipeline(_deps: Deps, _user: SessionUser, _input: In<typeof pipelineSchema>): Promise<Pipeline> {
  return notYet();
}

export async function contactList(_deps: Deps, _user: SessionUser, _input: In<typeof contactListSchema>): Promise<ContactListRow[]> {
  return notYet();
}

export async function exportContacts(_deps: Deps, _user: SessionUser, _input: In<typeof exportContactsSchema>): Promise<ContactExport> {
  return notYet();
}

export async function salesUsers(_deps: Deps, _user: SessionUser): Promise<SalesUser[]> {
  return notYet();
}
