import type { RouterOutputs } from '../../lib/api-types';

/** What the CRM pages show, named from the router's outputs (never the server's own types). */
export type CompanyRow = RouterOutputs['crm']['companies']['rows'][number];
export type CompanyPageData = RouterOutputs['crm']['company'];
export type CompanyDetail = CompanyPageData['company'];
export type Contact = CompanyPageData['contacts'][number];
export type LegalBasisRecord = Contact['bases'][number];
export type Activity = CompanyPageData['activities'][number];
export type Task = CompanyPageData['tasks'][number];
export type StatusHistoryEntry = CompanyPageData['statusHistory'][number];
export type SalesUser = RouterOutputs['crm']['salesUsers'][number];
export type Pipeline = RouterOutputs['crm']['pipeline'];
