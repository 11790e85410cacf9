import { Alert, Badge, Button, Checkbox, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, fieldErrorMessages, translateCode } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';

/**
 * DPO-4 (art. 21): an objection applies where processing rests on legitimate interest — in this
 * product the CRM's direct marketing (the journal rests on a legal duty, bookings and the portal on
 * contract). The panel finds the person's CRM contacts by the case's e-mail and phone (each search
 * logged), shows what each purpose rests on, and registers the objection for the contacts chosen
 * through the CRM's own objection, with the case as its reference.
 */
export function ObjectionPanel({ caseId, isClosed, isIdentityVerified, onSaved }: { caseId: string; isClosed: boolean; isIdentityVerified: boolean; onSaved: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [isSearched, setIsSearched] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const found = useQuery({ ...trpc.dpo.cases.objectionContacts.queryOptions({ caseId }), enabled: isSearched, staleTime: Number.POSITIVE_INFINITY, refetchOnWindowFocus: false });
  const register = useMutation(
    trpc.dpo.cases.registerObjection.mutationOptions({
      onSuccess: (result) => {
        const count = result.contacts.filter((contact) => contact.objected.length > 0).length;
        notifications.show({ color: 'teal', message: t('dpoCases.objection.registered', { count }) });
        setChosen([]);
        void queryClient.invalidateQueries({ queryKey: trpc.dpo.cases.objectionContacts.queryKey({ caseId }) });
        onSaved();
      },
    }),
  );
  const labels = { contactIds: t('dpoCases.objection.contacts'), caseId: t('dpoCases.objection.case') };
  const errors = register.error ? fieldErrorMessages(register.error, labels) : {};
  const registerError = register.error ? (Object.values(errors).join(' ') || errorText(register.error)) : null;
  const contacts = found.data?.contacts ?? [];
  const canRegister = !isClosed && isIdentityVerified;

  return (
    <Paper withBorder p="md" data-testid="dsr-objection">
      <Title order={3} size="h4" mb="xs">
        {t('dpoCases.objection.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('dpoCases.objection.intro')}
      </Text>
      <Group mb="sm">
        <Button variant="default" loading={found.isFetching} onClick={() => (isSearched ? void found.refetch() : setIsSearched(true))} data-testid="objection-find">
          {isSearched ? t('dpoCases.objection.findAgain') : t('dpoCases.objection.find')}
        </Button>
      </Group>
      {found.isPending && isSearched && <Loader size="sm" aria-label={t('dpoCases.case.loading')} />}
      {found.isError && (
        <Alert color="red" role="alert">
          {errorText(found.error)}
        </Alert>
      )}
      {found.data && contacts.length === 0 && <Text size="sm">{t('dpoCases.objection.none')}</Text>}
      {contacts.length > 0 && (
        <Stack gap="xs">
          <Table.ScrollContainer minWidth={640}>
            <Table fz="sm" striped data-testid="objection-contacts">
              <Table.Caption>{t('dpoCases.objection.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('dpoCases.objection.choose')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.objection.contact')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.objection.company')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.objection.bases')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {contacts.map((contact) => (
                  <Table.Tr key={contact.id} data-testid="objection-contact" data-can-object={contact.canObject}>
                    <Table.Td>
                      <Checkbox
                        aria-label={t('dpoCases.objection.chooseContact', { name: contact.fullName, company: contact.companyName })}
                        checked={chosen.includes(contact.id)}
                        disabled={!contact.canObject || !canRegister}
                        onChange={(event) => {
                          const isChecked = event.currentTarget.checked;
                          setChosen((current) => (isChecked ? [...current, contact.id] : current.filter((id) => id !== contact.id)));
                        }}
                      />
                    </Table.Td>
                    <Table.Td>
                      {contact.fullName}
                      {contact.jobTitle ? `, ${contact.jobTitle}` : ''}
                    </Table.Td>
                    <Table.Td>{contact.companyName}</Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        {contact.bases.map((basis) => (
                          <Text size="xs" key={basis.purpose}>
                            {translateCode(`crm.purpose.${basis.purpose}`)}: {translateCode(`crm.basis.${basis.basis}`)} – {translateCode(`crm.basisState.${basis.state}`)}
                            {basis.isFromThisCase && (
                              <Badge ml={6} size="xs" variant="light" color="teal">
                                {t('dpoCases.objection.fromThisCase')}
                              </Badge>
                            )}
                          </Text>
                        ))}
                        {!contact.canObject && (
                          <Text size="xs" c="dimmed">
                            {t('dpoCases.objection.nothingToObject')}
                          </Text>
                        )}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {!isClosed && !isIdentityVerified && (
            <Alert color="yellow" variant="light">
              {t('dpoCases.objection.needsIdentity')}
            </Alert>
          )}
          {registerError && (
            <Alert color="red" role="alert">
              {registerError}
            </Alert>
          )}
          {canRegister && (
            <Group>
              <Button disabled={chosen.length === 0} loading={register.isPending} onClick={() => register.mutate({ caseId, contactIds: chosen })} data-testid="objection-register">
                {t('dpoCases.objection.register', { count: chosen.length })}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Paper>
  );
}
