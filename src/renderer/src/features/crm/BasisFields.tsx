import { NativeSelect, SimpleGrid, Textarea } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { translateCode } from '../../lib/translate';
import { basisOptions, fittingBasis, purposeOptions, sourceOptions } from './basis-options';
import { DateField } from './DateField';

export interface BasisValues {
  purpose: string;
  basis: string;
  source: string;
  evidence: string;
  reviewOn: string | null;
}

export const emptyBasis = (purpose = 'direct_sales'): BasisValues => ({ purpose, ...fittingBasis(purpose, 'legitimate_interest', 'public_sources'), evidence: '', reviewOn: null });

/** The shared schema's shape of a basis: no review date given means the basis's default. */
export function basisInput(values: BasisValues) {
  return { purpose: values.purpose, basis: values.basis, source: values.source, evidence: values.evidence, ...(values.reviewOn ? { reviewOn: values.reviewOn } : {}) };
}

/** The labels of a basis's fields, under the path the form (and the server's field errors) name them by. */
export function basisLabels(prefix = ''): Record<string, string> {
  return {
    [`${prefix}purpose`]: translateCode('crm.contacts.form.purpose'),
    [`${prefix}basis`]: translateCode('crm.contacts.form.basis'),
    [`${prefix}source`]: translateCode('crm.contacts.form.basisSource'),
    [`${prefix}evidence`]: translateCode('crm.contacts.form.evidence'),
    [`${prefix}reviewOn`]: translateCode('crm.contacts.form.reviewOn'),
  };
}

/**
 * One purpose's legal basis (CRM-2): purpose, basis and source narrowed to what the rules allow,
 * the evidence (consent text, public source, agreement reference) and an optional review date.
 */
// The form is typed loosely: the fields sit at `prefix` in forms of different shapes.
export function BasisFields({ form, prefix = '' }: { form: UseFormReturnType<any>; prefix?: string }) {
  const { t } = useTranslation();
  const values = form.getValues() as Record<string, unknown>;
  const at = (field: keyof BasisValues) => `${prefix}${field}`;
  const valueAt = (field: keyof BasisValues): string => {
    const path = at(field).split('.');
    const found = path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], values);
    return typeof found === 'string' ? found : '';
  };
  const purpose = valueAt('purpose');
  const basis = valueAt('basis');
  const labels = basisLabels(prefix);

  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <NativeSelect
          label={labels[at('purpose')]}
          required
          data={purposeOptions()}
          {...form.getInputProps(at('purpose'))}
          onChange={(event) => {
            const next = event.currentTarget.value;
            const fitting = fittingBasis(next, basis, valueAt('source'));
            form.setFieldValue(at('purpose'), next);
            form.setFieldValue(at('basis'), fitting.basis);
            form.setFieldValue(at('source'), fitting.source);
          }}
        />
        <NativeSelect
          label={labels[at('basis')]}
          required
          data={basisOptions(purpose)}
          {...form.getInputProps(at('basis'))}
          onChange={(event) => {
            const next = event.currentTarget.value;
            form.setFieldValue(at('basis'), next);
            form.setFieldValue(at('source'), fittingBasis(purpose, next, valueAt('source')).source);
          }}
        />
        <NativeSelect label={labels[at('source')]} required data={sourceOptions(basis)} {...form.getInputProps(at('source'))} />
      </SimpleGrid>
      <Textarea label={labels[at('evidence')]} description={t('crm.contacts.form.evidenceHint')} required autosize minRows={2} {...form.getInputProps(at('evidence'))} />
      <DateField label={labels[at('reviewOn')]} description={t('crm.contacts.form.reviewOnHint')} clearable maw={240} {...form.getInputProps(at('reviewOn'))} />
    </>
  );
}
