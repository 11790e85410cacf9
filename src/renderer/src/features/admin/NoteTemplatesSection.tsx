import { Alert, Button, Group, Loader, NativeSelect, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NOTE_TYPES } from '../../../../shared/patient-schemas';
import { formatDateTime } from '../../lib/format';
import { errorText, fieldErrorMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';

type NoteType = (typeof NOTE_TYPES)[number];

/**
 * JRN-7: the clinic's note templates, one note type at a time: the headings a new draft of that
 * type starts from. Saving is logged (journal.template.updated); drafts already written keep their text.
 */
export function NoteTemplatesSection() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const templates = useQuery(trpc.journal.templates.queryOptions());
  const [noteType, setNoteType] = useState<NoteType>('consultation');
  // What is typed, per type, until saved; otherwise the stored template shows.
  const [edited, setEdited] = useState<Partial<Record<NoteType, string>>>({});
  const update = useMutation(trpc.journal.updateTemplate.mutationOptions());
  const template = templates.data?.find((candidate) => candidate.noteType === noteType);
  const body = edited[noteType] ?? template?.body ?? '';
  const typeLabel = (type: string) => translateCode(`journal.noteTypes.${type}`, {}, type);
  const errors = fieldErrorMessages(update.error, { body: t('admin.noteTemplates.body'), noteType: t('admin.noteTemplates.type') });

  const save = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { noteType, body },
      {
        onSuccess: () => {
          setEdited(({ [noteType]: _saved, ...rest }) => rest);
          notifications.show({ color: 'teal', message: t('admin.noteTemplates.saved', { type: typeLabel(noteType) }) });
          void queryClient.invalidateQueries(trpc.journal.templates.pathFilter());
        },
      },
    );
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="note-templates-title" data-testid="note-templates">
      <Title order={3} size="h4" id="note-templates-title">
        {t('admin.noteTemplates.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('admin.noteTemplates.intro')}
      </Text>
      {templates.isPending && <Loader size="sm" />}
      {templates.isError && (
        <Alert color="red" role="alert">
          {errorText(templates.error)}
        </Alert>
      )}
      {template && (
        <form onSubmit={save}>
          <Stack gap="xs">
            <NativeSelect
              label={t('admin.noteTemplates.type')}
              value={noteType}
              onChange={(event) => setNoteType(NOTE_TYPES.find((type) => type === event.currentTarget.value) ?? 'consultation')}
              data={NOTE_TYPES.map((type) => ({ value: type, label: typeLabel(type) }))}
              style={{ maxWidth: 320 }}
            />
            <Textarea
              label={t('admin.noteTemplates.body')}
              autosize
              minRows={6}
              maxRows={20}
              maxLength={10_000}
              value={body}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setEdited((current) => ({ ...current, [noteType]: value }));
              }}
              error={errors.body}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            {update.error && !errors.body && (
              <Alert color="red" role="alert">
                {errorText(update.error)}
              </Alert>
            )}
            <Group justify="space-between">
              <Text size="xs" c="dimmed">
                {template.isCustom && template.updatedAt && template.updatedByName
                  ? t('admin.noteTemplates.updated', { name: template.updatedByName, time: formatDateTime(template.updatedAt) })
                  : t('admin.noteTemplates.isDefault')}
              </Text>
              <Button type="submit" loading={update.isPending} disabled={edited[noteType] === undefined}>
                {t('admin.noteTemplates.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
