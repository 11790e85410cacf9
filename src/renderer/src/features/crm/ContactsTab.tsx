import { Anchor, Button, Card, Group, Menu, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCalendarDate, formatDate } from '../../lib/format';
import { translateCode } from '../../lib/translate';
import { BasisStateBadge, BlockedWarning } from './CrmBadges';
import { NewContactModal } from './NewContactModal';
import { RecordBasisModal } from './RecordBasisModal';
import { type StopKind, StopProcessingModal } from './StopProcessingModal';
import type { Contact } from './types';

type Pending = { kind: 'basis'; contact: Contact } | { kind: StopKind; contact: Contact };

const hasActive = (contact: Contact, basis: string) => contact.bases.some((record) => record.basis === basis && record.state === 'active');

/**
 * CRM-2: a company's contact persons with the legal basis of each purpose. A contact whose consent
 * is withdrawn or who objected carries a red warning in words; their e-mail and phone are then not
 * links, so nobody mails or calls them by a click.
 */
export function ContactsTab({ companyId, contacts }: { companyId: string; contacts: readonly Contact[] }) {
  const { t } = useTranslation();
  const [isCreating, setIsCreating] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);

  return (
    <Stack gap="sm" data-testid="contacts-tab">
      <Group justify="space-between">
        <Title order={3} size="h4">
          {t('crm.contacts.title')}
        </Title>
        <Button size="sm" onClick={() => setIsCreating(true)} data-testid="new-contact">
          {t('crm.contacts.newContact')}
        </Button>
      </Group>
      {contacts.length === 0 && <Text c="dimmed">{t('crm.contacts.empty')}</Text>}
      {contacts.map((contact) => {
        const isStopped = contact.isBlocked || contact.blockedPurposes.length > 0;
        return (
          <Card key={contact.id} withBorder padding="sm" data-testid="contact-card" data-blocked={contact.isBlocked} component="section" aria-labelledby={`contact-${contact.id}`}>
            <Stack gap="xs">
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <div>
                  <Title order={4} size="h5" id={`contact-${contact.id}`}>
                    {contact.fullName}
                  </Title>
                  {contact.jobTitle && (
                    <Text size="sm" c="dimmed">
                      {contact.jobTitle}
                    </Text>
                  )}
                  <Group gap="md" mt={4}>
                    {contact.email && (
                      <Text size="sm">
                        {t('crm.contacts.email')}: {isStopped ? contact.email : <Anchor href={`mailto:${contact.email}`}>{contact.email}</Anchor>}
                      </Text>
                    )}
                    {contact.phone && (
                      <Text size="sm">
                        {t('crm.contacts.phone')}: {isStopped ? contact.phone : <Anchor href={`tel:${contact.phone}`}>{contact.phone}</Anchor>}
                      </Text>
                    )}
                    <Text size="sm" c="dimmed">
                      {t('crm.contacts.source', { source: translateCode(`crm.contactSource.${contact.source}`, {}, contact.source) })}
                    </Text>
                  </Group>
                </div>
                <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
                  <Menu.Target>
                    <Button size="xs" variant="default" aria-label={t('crm.contacts.actions', { name: contact.fullName })}>
                      {t('crm.contacts.actionsShort')}
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item onClick={() => setPending({ kind: 'basis', contact })}>{t('crm.contacts.recordBasis')}</Menu.Item>
                    <Menu.Item color="red" disabled={!hasActive(contact, 'consent')} onClick={() => setPending({ kind: 'withdraw', contact })}>
                      {t('crm.contacts.withdrawConsent')}
                    </Menu.Item>
                    <Menu.Item color="red" disabled={!hasActive(contact, 'legitimate_interest')} onClick={() => setPending({ kind: 'object', contact })}>
                      {t('crm.contacts.recordObjection')}
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Group>
              <BlockedWarning purposes={contact.blockedPurposes} isBlocked={contact.isBlocked} />
              {contact.bases.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('crm.contacts.noBases')}
                </Text>
              ) : (
                <Table.ScrollContainer minWidth={640}>
                  <Table fz="sm" verticalSpacing={4} data-testid="bases-table">
                    <Table.Caption>{t('crm.contacts.basesLabel', { name: contact.fullName })}</Table.Caption>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t('crm.contacts.purposeColumn')}</Table.Th>
                        <Table.Th scope="col">{t('crm.contacts.basisColumn')}</Table.Th>
                        <Table.Th scope="col">{t('crm.contacts.stateColumn')}</Table.Th>
                        <Table.Th scope="col">{t('crm.contacts.sourceColumn')}</Table.Th>
                        <Table.Th scope="col">{t('crm.contacts.reviewColumn')}</Table.Th>
                        <Table.Th scope="col">{t('crm.contacts.recordedColumn')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {contact.bases.map((record) => (
                        <Table.Tr key={record.id} data-purpose={record.purpose}>
                          <Table.Td>{translateCode(`crm.purpose.${record.purpose}`, {}, record.purpose)}</Table.Td>
                          <Table.Td>{translateCode(`crm.basis.${record.basis}`, {}, record.basis)}</Table.Td>
                          <Table.Td>
                            <BasisStateBadge state={record.state} />
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{translateCode(`crm.basisSource.${record.source}`, {}, record.source)}</Text>
                            <Text size="xs" c="dimmed" lineClamp={2} title={record.evidence}>
                              {record.evidence}
                            </Text>
                          </Table.Td>
                          <Table.Td>{record.reviewOn ? formatCalendarDate(record.reviewOn) : t('crm.none')}</Table.Td>
                          <Table.Td>{t('crm.contacts.recordedBy', { date: formatDate(record.recordedAt), name: record.recordedByName ?? t('crm.none') })}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Stack>
          </Card>
        );
      })}

      {isCreating && <NewContactModal companyId={companyId} onClose={() => setIsCreating(false)} />}
      {pending?.kind === 'basis' && <RecordBasisModal contact={pending.contact} onClose={() => setPending(null)} />}
      {(pending?.kind === 'withdraw' || pending?.kind === 'object') && <StopProcessingModal contact={pending.contact} kind={pending.kind} onClose={() => setPending(null)} />}
    </Stack>
  );
}
