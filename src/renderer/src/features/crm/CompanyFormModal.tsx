import { Modal, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { COMPANY_STATUSES, createCompanySchema, updateCompanySchema } from '../../../../shared/crm-schemas';
import { fieldErrorMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { CrmFormFooter } from './CrmFormFooter';
import { isChangedByOthers } from './crm-errors';
import { schemaValidator } from './form-validation';
import { formatOrganisationNumber } from './format';
import type { CompanyDetail } from './types';

interface CompanyFormValues {
  name: string;
  organisationNumber: string;
  street: string;
  postcode: string;
  city: string;
  industry: string;
  ownerId: string;
  status: string;
}

function valuesOf(company: CompanyDetail | undefined, ownUserId: string | undefined): CompanyFormValues {
  return {
    name: company?.name ?? '',
    organisationNumber: company?.organisationNumber ? formatOrganisationNumber(company.organisationNumber) : '',
    street: company?.street ?? '',
    postcode: company?.postcode ?? '',
    city: company?.city ?? '',
    industry: company?.industry ?? '',
    // A new company is the creator's own to follow up unless they pick someone else.
    ownerId: company ? (company.ownerId ?? '') : (ownUserId ?? ''),
    status: company?.status ?? 'lead',
  };
}

/** The fields both forms send, as the shared schema takes them (blank optional fields are "none"). */
function fieldsOf(values: CompanyFormValues) {
  return {
    name: values.name,
    organisationNumber: values.organisationNumber,
    street: values.street,
    postcode: values.postcode,
    city: values.city,
    industry: values.industry,
    ownerId: values.ownerId === '' ? null : values.ownerId,
  };
}

/**
 * CRM-1: a new company ("Ny bedrift"), or a company's details changed. The shared schema checks
 * the organisation number (mod-11) before sending; the server checks again and names a number
 * already registered. An edit carries the version the user saw: if someone else saved first, the
 * page reloads and nothing of this form is saved.
 */
export function CompanyFormModal({
  company,
  ownUserId,
  onClose,
  onSaved,
}: {
  /** The company to change; none for a new one. */
  company?: CompanyDetail;
  ownUserId?: string;
  onClose: () => void;
  onSaved: (companyId: string) => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.crm.salesUsers.queryOptions(undefined, { staleTime: 60_000 }));
  const isNew = company === undefined;
  const labels: Record<string, string> = useMemo(
    () => ({
      name: t('crm.company.form.name'),
      organisationNumber: t('crm.company.form.organisationNumber'),
      street: t('crm.company.form.street'),
      postcode: t('crm.company.form.postcode'),
      city: t('crm.company.form.city'),
      industry: t('crm.company.form.industry'),
      ownerId: t('crm.company.form.owner'),
      status: t('crm.company.form.status'),
    }),
    [t],
  );
  const form = useForm<CompanyFormValues>({
    mode: 'controlled',
    initialValues: valuesOf(company, ownUserId),
    validate: isNew
      ? schemaValidator(createCompanySchema, labels, (values: CompanyFormValues) => ({ ...fieldsOf(values), status: values.status }))
      : schemaValidator(updateCompanySchema, labels, (values: CompanyFormValues) => ({ companyId: company.id, version: company.version, ...fieldsOf(values) })),
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.crm.pathKey() });
  const onError = (error: unknown) => {
    form.setErrors(fieldErrorMessages(error, labels));
    if (isChangedByOthers(error)) void refresh();
  };
  const create = useMutation(trpc.crm.createCompany.mutationOptions({ onError }));
  const update = useMutation(trpc.crm.updateCompany.mutationOptions({ onError }));
  const mutation = isNew ? create : update;

  const submit = form.onSubmit((values) => {
    const done = (result: { id: string }) => {
      notifications.show({ color: 'teal', message: isNew ? t('crm.company.created') : t('crm.company.saved') });
      void refresh();
      onSaved(result.id);
    };
    if (isNew) create.mutate({ ...fieldsOf(values), status: values.status as (typeof COMPANY_STATUSES)[number] }, { onSuccess: done });
    else update.mutate({ companyId: company.id, version: company.version, ...fieldsOf(values) }, { onSuccess: done });
  });

  const ownerOptions = [
    { value: '', label: t('crm.company.noOwner') },
    ...(users.data ?? []).map((user) => ({ value: user.id, label: user.displayName })),
    // The current owner stays selectable even if the list has not come yet (or they left sales).
    ...(company?.ownerId && !users.data?.some((user) => user.id === company.ownerId) ? [{ value: company.ownerId, label: company.ownerName ?? company.ownerId }] : []),
  ];

  return (
    <Modal opened onClose={onClose} title={isNew ? t('crm.company.form.newTitle') : t('crm.company.form.editTitle')} size="lg" closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="company-form">
      <form onSubmit={(event: FormEvent<HTMLFormElement>) => submit(event)} noValidate>
        <Stack gap="sm">
          <TextInput label={labels.name} required autoComplete="off" {...form.getInputProps('name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={labels.organisationNumber} description={t('crm.company.form.organisationNumberHint')} inputMode="numeric" autoComplete="off" {...form.getInputProps('organisationNumber')} />
            <TextInput label={labels.industry} autoComplete="off" {...form.getInputProps('industry')} />
          </SimpleGrid>
          <TextInput label={labels.street} autoComplete="off" {...form.getInputProps('street')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={labels.postcode} inputMode="numeric" autoComplete="off" {...form.getInputProps('postcode')} />
            <TextInput label={labels.city} autoComplete="off" {...form.getInputProps('city')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect label={labels.ownerId} data={ownerOptions} {...form.getInputProps('ownerId')} />
            {isNew && (
              <NativeSelect label={labels.status} data={COMPANY_STATUSES.map((status) => ({ value: status, label: translateCode(`crm.status.${status}`) }))} {...form.getInputProps('status')} />
            )}
          </SimpleGrid>
          <CrmFormFooter
            errors={form.errors as Record<string, string | undefined>}
            error={mutation.error}
            isPending={mutation.isPending}
            submitLabel={isNew ? t('crm.company.form.create') : t('crm.company.form.save')}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}
