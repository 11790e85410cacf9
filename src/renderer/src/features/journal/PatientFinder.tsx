import { Alert, Anchor, Button, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patientSearchSchema, searchedNationalIdentityNumber } from '../../../../shared/patient-schemas';
import { formatCalendarDate } from '../../lib/format';
import { errorText, fieldErrorMessages, issueMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { hashOf } from '../shell/routes';
import { BreakGlassModal } from './BreakGlassModal';
import { PatientFormModal } from './PatientFormModal';

const LAST_SEARCH_KEY = ['journal', 'lastSearch'] as const;

/**
 * JRN-1: find a patient by name, national identity number or date of birth. The server answers
 * only with patients this clinician may open now, and logs whom it showed (AUD-6). A number that
 * finds no one may be a patient this clinician has no basis for: in an emergency, break-glass by
 * that number (ACC-3) — offered alike whether or not such a patient exists, which only the
 * confirmed request answers. A number with wrong check digits is said to be invalid instead, and
 * offers nothing. Registering a number that belongs to a patient the clinician may not open
 * leads to the same break-glass step (ADR 0010).
 */
/** `titleOrder`: the heading level where the finder stands (its own page: 2; inside the start page: 3). */
export function PatientFinder({ titleOrder = 2 }: { titleOrder?: 2 | 3 } = {}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The last search comes back with the page (after a patient was opened), from memory only: it is
  // kept in the query cache, which forgets everything of the session when it ends.
  const [text, setText] = useState(() => queryClient.getQueryData<string>(LAST_SEARCH_KEY) ?? '');
  const [query, setQuery] = useState<string | null>(() => queryClient.getQueryData<string>(LAST_SEARCH_KEY) ?? null);
  const [clientError, setClientError] = useState<string | undefined>();
  const [isRegisterOpen, setIsRegisterOpen] = useState(false);
  /** The number break-glass is asked for: the one searched, or the one a registration found taken. */
  const [breakGlassNumber, setBreakGlassNumber] = useState<string | null>(null);
  const search = useQuery(trpc.patients.search.queryOptions({ query: query ?? '' }, { enabled: query !== null, staleTime: 0, gcTime: 0 }));
  const label = t('journal.search.label');
  // A number's errors name the number ("Fødselsnummeret har feil kontrollsiffer."), not the search field.
  const labelOf = (searched: string | null) => ({ query: searched !== null && searchedNationalIdentityNumber(searched) ? t('journal.search.numberField') : label });
  const serverError = fieldErrorMessages(search.error, labelOf(query));
  const nationalId = query === null ? null : searchedNationalIdentityNumber(query);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = patientSearchSchema.safeParse({ query: text });
    if (!parsed.success) {
      setClientError(issueMessages(parsed.error.issues, labelOf(text)).query);
      return;
    }
    setClientError(undefined);
    queryClient.setQueryData(LAST_SEARCH_KEY, parsed.data.query);
    if (parsed.data.query === query) void search.refetch();
    else setQuery(parsed.data.query);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={titleOrder}>{t('workspace.journal.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('workspace.journal.description')}
          </Text>
        </div>
        <Button variant="light" onClick={() => setIsRegisterOpen(true)}>
          {t('journal.register.open')}
        </Button>
      </Group>
      <form onSubmit={submit} role="search" aria-label={t('journal.search.title')} noValidate>
        <Text component="label" htmlFor="patient-search" size="sm" fw={500} display="block" mb={4}>
          {label}
        </Text>
        <Group align="flex-start" gap="sm" wrap="nowrap">
          <TextInput
            id="patient-search"
            inputWrapperOrder={['input', 'description', 'error']}
            description={t('journal.search.hint')}
            value={text}
            onChange={(event) => {
              setText(event.currentTarget.value);
              setClientError(undefined);
            }}
            error={clientError ?? serverError.query}
            style={{ flex: 1, maxWidth: 520 }}
            data-autofocus
            // Finding a patient is what this page is for: after login, typing starts here (issue 9 §3).
            autoFocus
            autoComplete="off"
          />
          <Button type="submit" loading={search.isFetching}>
            {t('journal.search.submit')}
          </Button>
        </Group>
      </form>
      {search.isError && !serverError.query && (
        <Alert color="red" role="alert">
          {errorText(search.error)}
        </Alert>
      )}
      {search.isPending && query !== null && <Loader size="sm" />}
      {search.data && search.data.length === 0 && (
        <Alert color="gray" data-testid="search-empty">
          <Stack gap="sm" align="flex-start">
            <Text size="sm">{t('journal.search.empty')}</Text>
            {nationalId && (
              <>
                <Text size="sm">{t('journal.breakGlass.byNumber.hint')}</Text>
                <Button color="red" variant="outline" onClick={() => setBreakGlassNumber(nationalId)}>
                  {t('journal.breakGlass.byNumber.open')}
                </Button>
              </>
            )}
          </Stack>
        </Alert>
      )}
      {search.data && search.data.length > 0 && (
        <Table.ScrollContainer minWidth={480}>
          <Table striped highlightOnHover aria-label={t('journal.search.results')} data-testid="search-results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('journal.patient.name')}</Table.Th>
                <Table.Th>{t('journal.patient.dateOfBirth')}</Table.Th>
                <Table.Th>{t('journal.patient.gender')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {search.data.map((patient) => (
                <Table.Tr key={patient.id}>
                  <Table.Td>
                    <Anchor href={hashOf({ page: 'patient', patientId: patient.id })} fw={500}>
                      {patient.familyName}, {patient.givenName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatCalendarDate(patient.dateOfBirth)}</Table.Td>
                  <Table.Td>{translateCode(`journal.genders.${patient.gender}`, {}, patient.gender)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {breakGlassNumber && (
        <BreakGlassModal
          opened
          target={{ nationalId: breakGlassNumber }}
          onClose={() => setBreakGlassNumber(null)}
          onGranted={(result) => {
            setBreakGlassNumber(null);
            window.location.hash = hashOf({ page: 'patient', patientId: result.patientId });
          }}
        />
      )}
      <PatientFormModal
        opened={isRegisterOpen}
        onClose={() => setIsRegisterOpen(false)}
        onSaved={(patientId) => {
          setIsRegisterOpen(false);
          window.location.hash = hashOf({ page: 'patient', patientId });
        }}
        onBreakGlass={(number) => {
          setIsRegisterOpen(false);
          setBreakGlassNumber(number);
        }}
      />
    </Stack>
  );
}
