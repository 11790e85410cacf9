import type { z } from 'zod';
import type {
  companyRefSchema,
  createImportSchema,
  importPreviewSchema,
  importRefSchema,
  uploadChunkSchema,
  validateImportSchema,
} from '../../shared/portal-schemas';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import { DomainError } from '../errors';
import type { ImportInspection, ImportPreviewPage, PortalImportStatus, ProblemRowsFile } from './types';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now' | 'isDemo' | 'secretBox'>;
type In<T extends z.ZodType> = z.output<T>;

// Milestone 1: the contract only. Filled in on top of the generic importer (src/server/import, H1).
const pending = (): never => {
  throw new DomainError('bad_request', 'error.not_implemented');
};

export async function createEmployeeImport(_deps: Deps, _user: SessionUser, _input: In<typeof createImportSchema>): Promise<{ importId: string }> {
  return pending();
}
export async function uploadEmployeeImportChunk(_deps: Deps, _user: SessionUser, _input: In<typeof uploadChunkSchema>): Promise<{ received: number }> {
  return pending();
}
export async function inspectEmployeeImport(_deps: Deps, _user: SessionUser, _input: In<typeof importRefSchema>): Promise<ImportInspection> {
  return pending();
}
export async function validateEmployeeImport(_deps: Deps, _user: SessionUser, _input: In<typeof validateImportSchema>): Promise<PortalImportStatus> {
  return pending();
}
export async function employeeImportStatus(_deps: Deps, _user: SessionUser, _input: In<typeof importRefSchema>): Promise<PortalImportStatus> {
  return pending();
}
export async function employeeImportPreview(_deps: Deps, _user: SessionUser, _input: In<typeof importPreviewSchema>): Promise<ImportPreviewPage> {
  return pending();
}
export async function commitEmployeeImport(_deps: Deps, _user: SessionUser, _input: In<typeof importRefSchema>): Promise<PortalImportStatus> {
  return pending();
}
export async function cancelEmployeeImport(_deps: Deps, _user: SessionUser, _input: In<typeof importRefSchema>): Promise<PortalImportStatus> {
  return pending();
}
export async function latestEmployeeImport(_deps: Deps, _user: SessionUser, _input: In<typeof companyRefSchema>): Promise<PortalImportStatus | null> {
  return pending();
}
export async function employeeImportProblemRows(_deps: Deps, _user: SessionUser, _input: In<typeof importRefSchema>): Promise<ProblemRowsFile> {
  return pending();
}
