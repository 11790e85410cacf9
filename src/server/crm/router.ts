import {
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
} from '../../shared/crm-schemas';
import { roleProcedure, router } from '../trpc';
import {
  companies,
  companyPage,
  completeTask,
  contactList,
  createCompany,
  createContact,
  createTask,
  exportContacts,
  logActivity,
  myTasks,
  pipeline,
  recordBasis,
  recordObjection,
  salesUsers,
  setCompanyStatus,
  updateCompany,
  updateContact,
  updateTask,
  withdrawConsent,
} from './service';

/**
 * Corporate CRM (CRM-1…3, CRM-5): companies, contacts and their legal bases, activities, tasks,
 * pipeline. Only sales and admin see any of it; nothing here tells whether a person is a patient.
 * Every read of contact data and every change is logged. Who may call what: docs/access-matrix.md.
 */
const sales = roleProcedure(['sales', 'admin']);

export const crmRouter = router({
  companies: sales
    .meta({ audit: ['crm.companies.read'] })
    .input(companiesSchema)
    .query(({ ctx, input }) => companies(ctx.deps, ctx.session, input)),

  company: sales
    .meta({ audit: ['crm.company.read'] })
    .input(companyRefSchema)
    .query(({ ctx, input }) => companyPage(ctx.deps, ctx.session, input)),

  createCompany: sales
    .meta({ audit: ['crm.company.created'] })
    .input(createCompanySchema)
    .mutation(({ ctx, input }) => createCompany(ctx.deps, ctx.session, input)),

  updateCompany: sales
    .meta({ audit: ['crm.company.updated'] })
    .input(updateCompanySchema)
    .mutation(({ ctx, input }) => updateCompany(ctx.deps, ctx.session, input)),

  setCompanyStatus: sales
    .meta({ audit: ['crm.company.status_changed'] })
    .input(setCompanyStatusSchema)
    .mutation(({ ctx, input }) => setCompanyStatus(ctx.deps, ctx.session, input)),

  createContact: sales
    .meta({ audit: ['crm.contact.created', 'crm.legal_basis.recorded'] })
    .input(createContactSchema)
    .mutation(({ ctx, input }) => createContact(ctx.deps, ctx.session, input)),

  updateContact: sales
    .meta({ audit: ['crm.contact.updated'] })
    .input(updateContactSchema)
    .mutation(({ ctx, input }) => updateContact(ctx.deps, ctx.session, input)),

  recordBasis: sales
    .meta({ audit: ['crm.legal_basis.recorded'] })
    .input(recordBasisSchema)
    .mutation(({ ctx, input }) => recordBasis(ctx.deps, ctx.session, input)),

  withdrawConsent: sales
    .meta({ audit: ['crm.legal_basis.withdrawn'] })
    .input(withdrawConsentSchema)
    .mutation(({ ctx, input }) => withdrawConsent(ctx.deps, ctx.session, input)),

  recordObjection: sales
    .meta({ audit: ['crm.legal_basis.objected'] })
    .input(recordObjectionSchema)
    .mutation(({ ctx, input }) => recordObjection(ctx.deps, ctx.session, input)),

  logActivity: sales
    .meta({ audit: ['crm.activity.logged', 'dpo.processing.restricted'] })
    .input(logActivitySchema)
    .mutation(({ ctx, input }) => logActivity(ctx.deps, ctx.session, input)),

  createTask: sales
    .meta({ audit: ['crm.task.created', 'dpo.processing.restricted'] })
    .input(createTaskSchema)
    .mutation(({ ctx, input }) => createTask(ctx.deps, ctx.session, input)),

  updateTask: sales
    .meta({ audit: ['crm.task.updated', 'dpo.processing.restricted'] })
    .input(updateTaskSchema)
    .mutation(({ ctx, input }) => updateTask(ctx.deps, ctx.session, input)),

  completeTask: sales
    .meta({ audit: ['crm.task.completed'] })
    .input(completeTaskSchema)
    .mutation(({ ctx, input }) => completeTask(ctx.deps, ctx.session, input)),

  myTasks: sales
    .meta({ audit: ['crm.tasks.read'] })
    .input(myTasksSchema)
    .query(({ ctx, input }) => myTasks(ctx.deps, ctx.session, input)),

  // Colleagues' names for the owner pickers: the same as any user sees of colleagues, not CRM data; nothing to log.
  salesUsers: sales.query(({ ctx }) => salesUsers(ctx.deps, ctx.session)),

  pipeline: sales
    .meta({ audit: ['crm.pipeline.read'] })
    .input(pipelineSchema)
    .query(({ ctx, input }) => pipeline(ctx.deps, ctx.session, input)),

  contactList: sales
    .meta({ audit: ['crm.contacts.listed'] })
    .input(contactListSchema)
    .query(({ ctx, input }) => contactList(ctx.deps, ctx.session, input)),

  exportContacts: sales
    .meta({ audit: ['crm.contacts.exported'], stepUp: true })
    .input(exportContactsSchema)
    .mutation(({ ctx, input }) => exportContacts(ctx.deps, ctx.session, input)),
});
