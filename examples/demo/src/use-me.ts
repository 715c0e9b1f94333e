import type { MeResponse } from '@tessera/protocol';
import { useAuth } from '@tessera/react';
import { useEffect, useState } from 'react';
import { useDemoApi } from './api';

/** `GET /auth/v1/me` for the signed-in user: their tenants' names and roles. */
export function useMe(): MeResponse | null {
  const { status, user } = useAuth();
  const api = useDemoApi();
  const userId = status === 'authenticated' ? (user?.id ?? null) : null;
  const [me, setMe] = useState<MeResponse | null>(null);

  useEffect(() => {
    if (userId === null) {
      setMe(null);
      return;
    }
    let live = true;
    api.me().then(
      (result) => {
        if (live) setMe(result);
      },
      () => {
        // Without names the switcher shows tenant ids; the state says why if the session ended.
      },
    );
    return () => {
      live = false;
    };
  }, [api, userId]);

  return me !== null && me.user.id === userId ? me : null;
}
