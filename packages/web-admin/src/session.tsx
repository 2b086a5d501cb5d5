import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { ApiError, get, post } from './api.ts';
import type { User } from './types.ts';

interface SessionValue {
  user: User | null;
  loading: boolean;
  signedIn(user: User): void;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);
const hasSessionCookie = () =>
  document.cookie.split(';').some((c) => c.trim().startsWith('fanli_csrf='));

/** The console's signed-in staff member; shoppers and cashiers are not let in. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    // No readable CSRF cookie means no session: skip the probe rather than provoke a 401.
    if (!hasSessionCookie()) {
      setLoading(false);
      return;
    }
    get<{ user: User }>('/api/v1/auth/me')
      .then((me) => setUser(me.user))
      .catch((e: unknown) => {
        if (!(e instanceof ApiError)) console.warn(e);
        setUser(null);
      })
      .finally(() => setLoading(false));
  }, []);

  const logout = useCallback(async () => {
    try {
      await post('/api/v1/auth/logout');
    } finally {
      setUser(null);
    }
  }, []);

  const value = useMemo<SessionValue>(
    () => ({ user, loading, signedIn: setUser, logout }),
    [user, loading, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

export const isConsoleRole = (u: User | null) => u?.role === 'staff' || u?.role === 'admin';
export const isAdmin = (u: User | null) => u?.role === 'admin';
