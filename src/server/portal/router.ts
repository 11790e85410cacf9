import {
  addEmployeeSchema,
  companyRefSchema,
  createImportSchema,
  employeesSchema,
  importPreviewSchema,
  importRefSchema,
  removeEmployeeSchema,
  revealNationalIdSchema,
  saveAgreementSchema,
  updateEmployeeSchema,
  uploadChunkSchema,
  validateImportSchema,
} from '../../shared/portal-schemas';
import { roleProcedure, router } from '../trpc';
import {
  cancelEmployeeImport,
  commitEmployeeImport,
  createEmployeeImport,
  employeeImportPreview,
  employeeImportProblemRows,
  employeeImportStatus,
  inspectEmployeeImport,
  latestEmployeeImport,
  uploadEmployeeImportChunk,
  validateEmployeeImport,
} from './import-service';
import { addEmployee, agreementOf, employeesOf, removeEmployee, revealNationalId, saveAgreement, updateEmployee } from './service';

/**
 * The corporate portal (CRM-4): a customer's agreement and the employees it covers, and their
 * import. Sales and administrators only; any id of another organisation answers "not found".
 * Every change and every view of an employee's national identity number is logged; the number
 * itself never is. Who may call what is also in docs/access-matrix.md.
 */
const sales = roleProcedure(['sales', 'admin']);

const importRouter = router({
  create: sales
    .meta({ audit: ['import.created'] })
    .input(createImportSchema)
    .mutation(({ ctx, input }) => createEmployeeImport(ctx.deps, ctx.session, input)),

  uploadChunk: sales
    .meta({ audit: ['import.uploaded'] })
    .input(uploadChunkSchema)
    .mutation(({ ctx, input }) => uploadEmployeeImportChunk(ctx.deps, ctx.session, input)),

  inspect: sales
    .meta({ audit: ['import.inspected'] })
    .input(importRefSchema)
    .mutation(({ ctx, input }) => inspectEmployeeImport(ctx.deps, ctx.session, input)),

  validate: sales
    .meta({ audit: ['import.validation_started'] })
    .input(validateImportSchema)
    .mutation(({ ctx, input }) => validateEmployeeImport(ctx.deps, ctx.session, input)),

  // Progress and counts only (no personal data): polled while the job runs, so not logged.
  status: sales.input(importRefSchema).query(({ ctx, input }) => employeeImportStatus(ctx.deps, ctx.session, input)),

  // The staged rows (names, masked numbers): a read of personal data.
  preview: sales
    .meta({ audit: ['import.read'] })
    .input(importPreviewSchema)
    .query(({ ctx, input }) => employeeImportPreview(ctx.deps, ctx.session, input)),

  commit: sales
    .meta({ audit: ['import.commit_started'] })
    .input(importRefSchema)
    .mutation(({ ctx, input }) => commitEmployeeImport(ctx.deps, ctx.session, input)),

  cancel: sales
    .meta({ audit: ['import.cancelled'] })
    .input(importRefSchema)
    .mutation(({ ctx, input }) => cancelEmployeeImport(ctx.deps, ctx.session, input)),

  // Status only, as `status`: lets a reload resume the wizard.
  latest: sales.input(companyRefSchema).query(({ ctx, input }) => latestEmployeeImport(ctx.deps, ctx.session, input)),

  // An export of personal data (the rejected rows as written): a fresh second factor, and the client's address logged.
  problemRows: sales
    .meta({ audit: ['import.problem_rows_exported'], stepUp: true })
    .input(importRefSchema)
    .mutation(({ ctx, input }) => employeeImportProblemRows(ctx.deps, ctx.session, input)),
});

export const portalRouter = router({
  // The agreement's terms are no personal data: nothing to log on a read.
  agreement: sales.input(companyRefSchema).query(({ ctx, input }) => agreementOf(ctx.deps, ctx.session, input)),

  saveAgreement: sales
    .meta({ audit: ['portal.agreement.saved'] })
    .input(saveAgreementSchema)
    .mutation(({ ctx, input }) => saveAgreement(ctx.deps, ctx.session, input)),

  employees: sales
    .meta({ audit: ['portal.employees.read'] })
    .input(employeesSchema)
    .query(({ ctx, input }) => employeesOf(ctx.deps, ctx.session, input)),

  addEmployee: sales
    .meta({ audit: ['portal.employee.created', 'dpo.processing.restricted'] })
    .input(addEmployeeSchema)
    .mutation(({ ctx, input }) => addEmployee(ctx.deps, ctx.session, input)),

  updateEmployee: sales
    .meta({ audit: ['portal.employee.updated', 'dpo.processing.restricted'] })
    .input(updateEmployeeSchema)
    .mutation(({ ctx, input }) => updateEmployee(ctx.deps, ctx.session, input)),

  removeEmployee: sales
    .meta({ audit: ['portal.employee.removed'] })
    .input(removeEmployeeSchema)
    .mutation(({ ctx, input }) => removeEmployee(ctx.deps, ctx.session, input)),

  revealNationalId: sales
    .meta({ audit: ['portal.employee.national_id_viewed'] })
    .input(revealNationalIdSchema)
    .mutation(({ ctx, input }) => revealNationalId(ctx.deps, ctx.session, input)),

  import: importRouter,
});
