import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { deliverPdf } from '../../lib/download';
import { errorText } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { useStepUpMutation } from '../auth/step-up';

/**
 * JRN-5, DESK-3: the backend renders the PDF and logs the print (with the client's IP) before it
 * answers; only then is the document handed on, to the desktop's save dialog or as a download.
 * Printing is an export, so it asks for a fresh second factor when needed (AUTH-5).
 */
export function usePrint(patientId: string) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const print = useStepUpMutation(trpc.journal.print.mutationOptions());
  const run = (noteId?: string) =>
    print.mutate(
      { patientId, ...(noteId ? { noteId } : {}) },
      {
        onSuccess: async (result) => {
          try {
            const delivery = await deliverPdf(result);
            if (delivery !== 'cancelled') notifications.show({ color: 'teal', message: delivery === 'saved' ? t('journal.print.saved') : t('journal.print.downloaded', { fileName: result.fileName }) });
          } catch {
            notifications.show({ color: 'red', message: t('journal.print.saveFailed') });
          }
        },
        onError: (error) => notifications.show({ color: 'red', message: errorText(error) }),
      },
    );
  return { print: run, isPrinting: print.isPending, printingNoteId: print.isPending ? (print.variables?.noteId ?? null) : undefined };
}
