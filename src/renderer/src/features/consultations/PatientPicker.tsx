import { Button, Group, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patientSearchSchema } from '../../../../shared/patient-schemas';
import type { RouterOutputs } from '../../lib/api-types';
import { formatCalendarDate } from '../../lib/format';
import { errorText, fieldErrorMessages, issueMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';

export type PickedPatient = RouterOutputs['patients']['search'][number];

/**
 * Choose the patient of a booking with the journal's own search: it finds only patients this
 * clinician may open, and logs whom it showed (JRN-1, AUD-6).
 */
export function PatientPicker({ picked, onPick, error }: { picked: PickedPatient | null; onPick: (patient: PickedPatient | null) => void; error: string | undefined }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const [clientError, setClientError] = useState<string | undefined>();
  const search = useQuery(trpc.patients.search.queryOptions({ query: query ?? '' }, { enabled: query !== null, staleTime: 0, gcTime: 0 }));
  const label = t('consultations.bookModal.search');
  const serverError = fieldErrorMessages(search.error, { query: label }).query;

  if (picked) {
    return (
      <Group justify="space-between" data-testid="picked-patient">
        <Text size="sm" fw={500}>
          {t('consultations.bookModal.chosen', { name: `${picked.familyName}, ${picked.givenName} (${formatCalendarDate(picked.dateOfBirth)})` })}
        </Text>
        <Button variant="subtle" size="xs" onClick={() => onPick(null)}>
          {t('consultations.bookModal.change')}
        </Button>
      </Group>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    const parsed = patientSearchSchema.safeParse({ query: text });
    if (!parsed.success) {
      setClientError(issueMessages(parsed.error.issues, { query: label }).query);
      return;
    }
    setClientError(undefined);
    if (parsed.data.query === query) void search.refetch();
    else setQuery(parsed.data.query);
  };

  return (
    <Stack gap="xs">
      {/* Its own form, inside the modal's: Enter searches rather than books. */}
      <form onSubmit={submit} role="search" noValidate>
        <Group align="flex-end" gap="sm" wrap="nowrap">
        <TextInput
          label={label}
          description={t('consultations.bookModal.searchHint')}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setClientError(undefined);
          }}
          error={clientError ?? serverError ?? error}
          style={{ flex: 1 }}
          autoComplete="off"
          data-autofocus
        />
          <Button type="submit" variant="light" loading={search.isFetching}>
            {t('consultations.bookModal.searchSubmit')}
          </Button>
        </Group>
      </form>
      {search.isError && !serverError && (
        <Text size="sm" c="red" role="alert">
          {errorText(search.error)}
        </Text>
      )}
      {search.isPending && query !== null && <Loader size="xs" />}
      {search.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('consultations.bookModal.noResults')}
        </Text>
      )}
      {search.data?.map((patient) => (
        <Group key={patient.id} justify="space-between" wrap="nowrap" data-testid="patient-option">
          <Text size="sm">
            {patient.familyName}, {patient.givenName} · {formatCalendarDate(patient.dateOfBirth)}
          </Text>
          <Button size="xs" variant="default" onClick={() => onPick(patient)} aria-label={`${t('consultations.bookModal.choose')}: ${patient.familyName}, ${patient.givenName}`}>
            {t('consultations.bookModal.choose')}
          </Button>
        </Group>
      ))}
    </Stack>
  );
}
