import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './api.ts';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Client errors will not change on retry; give the network and the server two more chances.
        retry: (failures, error) => {
          if (isApiError(error) && error.status > 0 && error.status < 500) return false;
          return failures < 2;
        },
      },
      mutations: { retry: false },
    },
  });
}
