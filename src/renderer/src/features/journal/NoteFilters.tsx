import { Button, Group, MultiSelect, Paper, Select, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { JOURNAL_NOTE_TYPES } from '../../../../shared/patient-schemas';
import { translateCode } from '../../lib/translate';
import { parseDateInput, toDateInput } from './dates';

type JournalNoteType = (typeof JOURNAL_NOTE_TYPES)[number];

/** What the notes are narrowed to; sent to the server as journal.notes' filter (JRN-2). */
export interface NoteFilterValue {
  noteTypes: JournalNoteType[];
  authorId: string | null;
  from: string | null;
  to: string | null;
  text: string;
}

export const NO_NOTE_FILTER: NoteFilterValue = { noteTypes: [], authorId: null, from: null, to: null, text: '' };

/** The filter as the server takes it: only what is set (an empty filter is no filter). */
export function toServerFilter(value: NoteFilterValue) {
  const filter = {
    ...(value.noteTypes.length > 0 ? { noteTypes: value.noteTypes } : {}),
    ...(value.authorId ? { authorId: value.authorId } : {}),
    ...(value.from ? { from: value.from } : {}),
    ...(value.to ? { to: value.to } : {}),
    ...(value.text.trim() ? { text: value.text.trim() } : {}),
  };
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/**
 * Type, author and period apply at once; the words when the search is submitted (Enter), so each
 * search is one logged read, not one per keystroke. Dates are typed dd.mm.yyyy like everywhere else.
 */
export function NoteFilters({ value, authors, onChange }: { value: NoteFilterValue; authors: { id: string; name: string }[]; onChange: (value: NoteFilterValue) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value.text);
  const [fromText, setFromText] = useState(value.from ? toDateInput(value.from) : '');
  const [toText, setToText] = useState(value.to ? toDateInput(value.to) : '');
  const dateError = (typed: string, label: string) => (typed.trim() !== '' && !parseDateInput(typed) ? translateCode('validation.date', { field: label }) : undefined);
  // A date that does not read keeps the last one that did (its error is shown beside it).
  const dateOf = (typed: string, current: string | null) => (typed.trim() === '' ? null : (parseDateInput(typed) ?? current));
  const applyDate = (key: 'from' | 'to', typed: string) => onChange({ ...value, text, [key]: dateOf(typed, value[key]) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...value, text, from: dateOf(fromText, value.from), to: dateOf(toText, value.to) });
  };
  const isFiltered = toServerFilter(value) !== undefined || text !== '' || fromText !== '' || toText !== '';

  return (
    <Paper withBorder px="sm" py="xs" radius="md" component="form" onSubmit={submit} role="search" aria-label={t('journal.filters.label')} data-testid="note-filters">
      {/* One row on a wide window: the filter must not push the notes out of sight. */}
      <Group gap="xs" align="flex-start" wrap="wrap">
        <TextInput
          label={t('journal.filters.search')}
          placeholder={t('journal.filters.searchHint')}
          type="search"
          value={text}
          maxLength={200}
          onChange={(event) => setText(event.currentTarget.value)}
          style={{ flex: '2 1 14rem' }}
          data-testid="note-search"
        />
        <MultiSelect
          label={t('journal.filters.types')}
          placeholder={value.noteTypes.length === 0 ? t('journal.filters.typesPlaceholder') : undefined}
          data={JOURNAL_NOTE_TYPES.map((type) => ({ value: type, label: translateCode(`journal.noteTypes.${type}`, {}, type) }))}
          value={value.noteTypes}
          onChange={(types) => onChange({ ...value, text, noteTypes: types.filter((type): type is JournalNoteType => (JOURNAL_NOTE_TYPES as readonly string[]).includes(type)) })}
          clearable
          style={{ flex: '1 1 11rem' }}
        />
        <Select
          label={t('journal.filters.author')}
          placeholder={t('journal.filters.anyAuthor')}
          data={authors.map((author) => ({ value: author.id, label: author.name }))}
          value={value.authorId}
          onChange={(authorId) => onChange({ ...value, text, authorId })}
          clearable
          style={{ flex: '1 1 10rem' }}
        />
        {(['from', 'to'] as const).map((key) => {
          const [typed, setTyped] = key === 'from' ? [fromText, setFromText] : [toText, setToText];
          return (
            <TextInput
              key={key}
              label={t(`journal.filters.${key}`)}
              placeholder={t('journal.datePlaceholder')}
              value={typed}
              onChange={(event) => setTyped(event.currentTarget.value)}
              onBlur={() => applyDate(key, typed)}
              error={dateError(typed, t(`journal.filters.${key}`))}
              style={{ flex: '0 1 8.5rem' }}
            />
          );
        })}
        <Group gap={4} mt={25} wrap="nowrap">
          <Button type="submit" variant="light">
            {t('journal.search.submit')}
          </Button>
          {isFiltered && (
            <Button
              variant="subtle"
              onClick={() => {
                setText('');
                setFromText('');
                setToText('');
                onChange(NO_NOTE_FILTER);
              }}
            >
              {t('journal.filters.clear')}
            </Button>
          )}
        </Group>
      </Group>
    </Paper>
  );
}
