import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTRPC } from '../../lib/trpc';

/** Refetches every dispatch view (board, booking, doctor's list, start page) after a change here. */
export function useVisitsChanged(): () => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries(trpc.visits.pathFilter());
    void queryClient.invalidateQueries({ queryKey: trpc.start.today.queryKey() });
  }, [queryClient, trpc]);
}
