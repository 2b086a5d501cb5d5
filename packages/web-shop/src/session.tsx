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
import type { SessionAnswer, User } from './types.ts';

interface SessionValue {
  user: User | null;
  /** true until the first /auth/me answer */
  loading: boolean;
  signedIn(user: User | null): void;
  refresh(): Promise<void>;
  logout(): Promise<void>;
}

/** The server sets the readable `fanli_csrf` cookie next to the httpOnly session cookie. */
const hasSessionCookie = () =>
  document.cookie.split(';').some((c) => c.trim().startsWith('fanli_csrf='));

const SessionContext = createContext<SessionValue | null>(null);

/** Who is signed in, from `GET /api/v1/auth/me`; the session itself is an httpOnly cookie. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    // No readable CSRF cookie means no session: skip the probe rather than provoke a 401.
    if (!hasSessionCookie()) {
      setUser(null);
      setLoading(false);
      return;
    }
    try {
      const me = await get<SessionAnswer>('/api/v1/auth/me');
      setUser(me.user);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setUser(null);
      else throw e;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    refresh().catch(() => setLoading(false));
  }, [refresh]);

  const logout = useCallback(async () => {
    try {
      await post('/api/v1/auth/logout');
    } finally {
      setUser(null);
    }
  }, []);

  const value = useMemo<SessionValue>(
    () => ({ user, loading, signedIn: setUser, refresh, logout }),
    [user, loading, refresh, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
