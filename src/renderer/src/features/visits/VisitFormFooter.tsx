import type { ComponentProps } from 'react';
import { FormFooter } from '../shared/FormFooter';
import { visitErrorText } from './visit-errors';

/** The foot of a dispatch form: the shared one, with dispatch's own error codes in words. */
export function VisitFormFooter(props: Omit<ComponentProps<typeof FormFooter>, 'errorText'>) {
  return <FormFooter {...props} errorText={visitErrorText} />;
}
