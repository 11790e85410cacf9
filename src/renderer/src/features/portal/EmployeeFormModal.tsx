import { Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { addEmployeeSchema, updateEmployeeSchema } from '../../../../shared/portal-schemas';
import { fieldErrorMessages, issueMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { FormFooter } from '../shared/FormFooter';
import { isChangedMeanwhile, portalErrorText } from './portal-errors';
import type { EmployeeRow } from './types';

interface EmployeeForm {
  fullName: string;
  phone: string;
  email: string;
  nationalId: string;
}

/**
 * CRM-4: add an employee by hand, or correct one. Checked before sending with the schema the server
 * uses (the fødselsnummer's two mod-11 digits, phone, e-mail); the server's own field errors (a
 * number already registered at this customer) appear on their fields. When editing, the number is
 * never fetched to fill the form: it is replaced only if a new one is typed.
 */
export function EmployeeFormModal({ companyId, employee, onClose }: { companyId: string; employee: EmployeeRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const add = useMutation(trpc.portal.addEmployee.mutationOptions());
  const update = useMutation(trpc.portal.updateEmployee.mutationOptions());
  const mutation = employee ? update : add;
  const labels = {
    fullName: t('portal.employeeForm.fullName'),
    phone: t('portal.employeeForm.phone'),
    email: t('portal.employeeForm.email'),
    nationalId: t('portal.employeeForm.nationalId'),
  };

  const addInput = (values: EmployeeForm) => ({ companyId, fullName: values.fullName, phone: values.phone, email: values.email, nationalId: values.nationalId });
  const updateInput = (row: EmployeeRow, values: EmployeeForm) => ({
    employeeId: row.id,
    version: row.version,
    fullName: values.fullName,
    phone: values.phone,
    email: values.email,
    ...(values.nationalId.trim() === '' ? {} : { nationalId: values.nationalId }),
  });

  const form = useForm<EmployeeForm>({
    mode: 'controlled',
    initialValues: { fullName: employee?.fullName ?? '', phone: employee?.phone ?? '', email: employee?.email ?? '', nationalId: '' },
    validate: (values) => {
      const parsed = employee ? updateEmployeeSchema.safeParse(updateInput(employee, values)) : addEmployeeSchema.safeParse(addInput(values));
      return parsed.success ? {} : issueMessages(parsed.error.issues, labels);
    },
  });

  const done = async (message: string) => {
    notifications.show({ color: 'teal', message });
    await queryClient.invalidateQueries({ queryKey: trpc.portal.employees.queryKey() });
    onClose();
  };
  const failed = async (error: unknown) => {
    if (isChangedMeanwhile(error)) {
      notifications.show({ color: 'orange', message: t('portal.employeeForm.conflict'), autoClose: 8000 });
      await queryClient.invalidateQueries({ queryKey: trpc.portal.employees.queryKey() });
      onClose();
      return;
    }
    form.setErrors(fieldErrorMessages(error, labels));
  };

  const submit = form.onSubmit((values) => {
    if (employee) update.mutate(updateInput(employee, values), { onSuccess: () => done(t('portal.employeeForm.updated')), onError: failed });
    else add.mutate(addInput(values), { onSuccess: () => done(t('portal.employeeForm.added')), onError: failed });
  });

  const errors = Object.fromEntries(Object.entries(form.errors).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]));

  return (
    <Modal
      opened
      onClose={onClose}
      title={employee ? t('portal.employeeForm.editTitle') : t('portal.employeeForm.addTitle')}
      closeButtonProps={{ 'aria-label': t('app.close') }}
      data-testid="employee-form"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label={labels.fullName} required maxLength={200} autoComplete="off" data-autofocus {...form.getInputProps('fullName')} />
          <TextInput
            label={labels.nationalId}
            required={!employee}
            description={employee ? t('portal.employeeForm.nationalIdKeep', { masked: employee.nationalIdMasked }) : undefined}
            inputMode="numeric"
            autoComplete="off"
            maxLength={12}
            {...form.getInputProps('nationalId')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={labels.phone} type="tel" autoComplete="off" maxLength={32} {...form.getInputProps('phone')} />
            <TextInput label={labels.email} type="email" autoComplete="off" maxLength={254} {...form.getInputProps('email')} />
          </SimpleGrid>
          <FormFooter
            errors={errors}
            error={mutation.error}
            isPending={mutation.isPending}
            submitLabel={t('portal.employeeForm.save')}
            onCancel={onClose}
            errorText={portalErrorText}
          />
        </Stack>
      </form>
    </Modal>
  );
}
