import { Alert, Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { translateCode } from '../../lib/translate';

const STATUS_COLOUR: Record<string, string> = {
  lead: 'gray',
  prospect: 'blue',
  customer: 'teal',
  former: 'orange',
};

/** A company's status, in words and colour (the words alone carry it, PLAT-11). */
export function CompanyStatusBadge({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLOUR[status] ?? 'gray'} variant="light" size="sm" data-testid="company-status" data-status={status}>
      {translateCode(`crm.status.${status}`, {}, status)}
    </Badge>
  );
}

const STATE_COLOUR: Record<string, string> = { active: 'teal', withdrawn: 'red', objected: 'red' };

/**
 * The state of one purpose's legal basis (CRM-2): active, withdrawn consent or an objection. A
 * stopped basis is filled red and says so in words; an active one is light.
 */
export function BasisStateBadge({ state }: { state: string }) {
  return (
    <Badge color={STATE_COLOUR[state] ?? 'gray'} variant={state === 'active' ? 'light' : 'filled'} size="sm" data-testid="basis-state" data-state={state}>
      {translateCode(`crm.basisState.${state}`, {}, state)}
    </Badge>
  );
}

/**
 * The warning on a contact whose processing is stopped for some or all purposes (CRM-2): visible
 * at a glance, in words, so nobody calls or mails a person who said no.
 */
export function BlockedWarning({ purposes, isBlocked }: { purposes: readonly string[]; isBlocked: boolean }) {
  const { t } = useTranslation();
  if (purposes.length === 0 && !isBlocked) return null;
  return (
    <Alert color="red" variant="light" title={t('crm.contacts.blocked')} data-testid="contact-blocked" p="xs">
      <Text size="sm">{t('crm.contacts.blockedBody')}</Text>
      {purposes.length > 0 && (
        <Text size="sm" fw={600}>
          {t('crm.contacts.blockedPurposes', { purposes: purposes.map((purpose) => translateCode(`crm.purpose.${purpose}`, {}, purpose)).join(', ') })}
        </Text>
      )}
    </Alert>
  );
}
