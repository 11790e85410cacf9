import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';

/** After a booking, move or cancellation: say so, and refetch the calendar and the start page. */
export function useConsultationChanged(): (message: string) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (message) => {
    notifications.show({ color: 'teal', message });
    void queryClient.invalidateQueries({ queryKey: trpc.consultations.calendar.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.start.today.queryKey() });
  };
}

/** The foot of a consultation form is the shared one. */
export { FormFooter } from '../shared/FormFooter';
