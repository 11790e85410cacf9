import { Badge, Box, Checkbox, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format';
import { translateAuditAction, translateAuditReason, translateCode } from '../../../lib/translate';
import type { LogEvent } from './log-types';

const ROW_HEIGHT = 44;
const TABLE_HEIGHT = 560;
/** The columns: selection, time, user, action, outcome, patient, object, basis, sign-in, review. */
const GRID: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: '44px 150px minmax(140px, 1.2fr) minmax(160px, 1.4fr) 110px minmax(120px, 1fr) 120px 130px 110px 120px',
  alignItems: 'center',
  columnGap: 8,
  minWidth: 1200,
};

export function basisLabel(basis: string | null): string {
  return basis ? translateCode(`dpoLog.bases.${basis}`, {}, basis) : '—';
}

export function userLabel(event: LogEvent, systemLabel: string): string {
  if (event.user.id === null) return event.user.name?.startsWith('system:') ? `${systemLabel} (${event.user.name.slice('system:'.length)})` : (event.user.name ?? '—');
  return event.user.name ?? '—';
}

/**
 * DPO-1: the log as a virtualised table (only the rows in view are in the DOM), fixed header,
 * sorted by time through the keyset (the header toggles the order the server pages in), more rows
 * loaded as the end comes into view — the whole log is never loaded. ARIA table semantics with the
 * row count (-1 while more rows exist than are loaded).
 */
export function LogTable(props: {
  events: readonly LogEvent[];
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
  order: 'desc' | 'asc';
  onToggleOrder: () => void;
  selected: ReadonlySet<string>;
  onToggleSelected: (id: string) => void;
  onOpen: (event: LogEvent) => void;
}) {
  const { t } = useTranslation();
  const { events, hasMore, isLoadingMore, onLoadMore } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualiser's functions change with every scroll: this component is simply not memoised by the compiler.
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  const virtualizer = useVirtualizer({ count: events.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && !isLoadingMore && lastIndex >= events.length - 5) onLoadMore();
  }, [hasMore, isLoadingMore, lastIndex, events.length, onLoadMore]);

  const header = [
    t('dpoLog.select'),
    null,
    t('dpoLog.userColumn'),
    t('dpoLog.actionColumn'),
    t('dpoLog.outcomeColumn'),
    t('dpoLog.patientColumn'),
    t('dpoLog.objectColumn'),
    t('dpoLog.basisColumn'),
    t('dpoLog.methodColumn'),
    t('dpoLog.reviewColumn'),
  ];
  return (
    <Box
      ref={scrollRef}
      role="table"
      aria-label={t('dpoLog.tableLabel')}
      aria-rowcount={hasMore ? -1 : events.length + 1}
      data-testid="log-table"
      tabIndex={0}
      style={{ height: TABLE_HEIGHT, overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}
    >
      <div role="rowgroup" style={{ position: 'sticky', top: 0, zIndex: 1, background: 'var(--mantine-color-body)', borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <div role="row" aria-rowindex={1} style={{ ...GRID, height: ROW_HEIGHT, paddingInline: 8, fontWeight: 600, fontSize: 'var(--mantine-font-size-sm)' }}>
          {header.map((label, index) =>
            index === 1 ? (
              <div role="columnheader" key="time" aria-sort={props.order === 'desc' ? 'descending' : 'ascending'}>
                <UnstyledButton onClick={props.onToggleOrder} aria-label={props.order === 'desc' ? t('dpoLog.sortNewest') : t('dpoLog.sortOldest')} fw={600} fz="sm">
                  {t('dpoLog.time')} {props.order === 'desc' ? '↓' : '↑'}
                </UnstyledButton>
              </div>
            ) : (
              <div role="columnheader" key={index}>
                {index === 0 ? <Text span fz="xs">{label}</Text> : label}
              </div>
            ),
          )}
        </div>
      </div>
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const event = events[item.index] as LogEvent;
          const time = formatDateTime(event.occurredAt, { seconds: true });
          return (
            <div
              role="row"
              key={event.id}
              aria-rowindex={item.index + 2}
              aria-selected={props.selected.has(event.id)}
              data-event-id={event.id}
              data-action={event.action}
              style={{ ...GRID, position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, paddingInline: 8, fontSize: 'var(--mantine-font-size-sm)', borderBottom: '1px solid var(--mantine-color-default-border)', cursor: 'pointer' }}
              onClick={(clicked) => {
                if ((clicked.target as HTMLElement).closest('input,button')) return;
                props.onOpen(event);
              }}
            >
              <div role="cell">
                <Checkbox aria-label={t('dpoLog.selectEvent', { time })} checked={props.selected.has(event.id)} onChange={() => props.onToggleSelected(event.id)} />
              </div>
              <div role="cell">
                <UnstyledButton onClick={() => props.onOpen(event)} fz="sm" td="underline" title={t('dpoLog.openDetails')}>
                  {time}
                </UnstyledButton>
              </div>
              <div role="cell" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                {userLabel(event, t('dpoLog.system'))}
                {event.user.roles.length > 0 && (
                  <Text span c="dimmed" fz="xs">
                    {' '}
                    ({event.user.roles.join(', ')}
                    {event.user.profession ? `, ${event.user.profession}` : ''})
                  </Text>
                )}
              </div>
              <div role="cell" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={event.action}>
                {translateAuditAction(event.action)}
              </div>
              <div role="cell">
                <Badge variant="light" color={event.outcome === 'denied' ? 'red' : 'teal'} title={event.reason ? translateAuditReason(event.reason) : undefined}>
                  {translateCode(`dpoLog.outcomes.${event.outcome}`, {}, event.outcome)}
                </Badge>
              </div>
              <div role="cell" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                {event.patient ? (event.patient.name ?? t('dpoLog.unnamedPatient')) : '—'}
              </div>
              <div role="cell" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                {event.objectType ?? '—'}
              </div>
              <div role="cell">{basisLabel(event.basis)}</div>
              <div role="cell">{event.authMethod ?? '—'}</div>
              <div role="cell">
                {event.review ? (
                  <Badge variant="light" color="teal" data-testid="reviewed-badge">
                    {t('dpoLog.isReviewed')}
                  </Badge>
                ) : (
                  <Text span c="dimmed" fz="xs">
                    {t('dpoLog.notReviewed')}
                  </Text>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </Box>
  );
}
