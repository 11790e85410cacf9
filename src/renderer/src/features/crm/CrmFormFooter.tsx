import type { ComponentProps } from 'react';
import { FormFooter } from '../shared/FormFooter';
import { crmErrorText } from './crm-errors';

/** The foot of a CRM form: the shared one, with the CRM's own error codes in words. */
export function CrmFormFooter(props: Omit<ComponentProps<typeof FormFooter>, 'errorText'>) {
  return <FormFooter {...props} errorText={crmErrorText} />;
}
