import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { useAsync } from '../hooks.ts';

/** `GET /api/v1/me/member` (docs/models/members.md). */
interface Member {
  enabled: boolean;
  level: string | null;
  levelName: string | null;
  growth: number;
  next: { level: string; name: string; minGrowth: number; growthNeeded: number } | null;
}

/**
 * The member's level and growth value under their name on the "me" page, with what the
 * next level still needs. Nothing shows while members are off and the user has no level.
 */
export function MemberLine() {
  const { t } = useTranslation();
  const member = useAsync((signal) => get<Member>('/api/v1/me/member', { signal }), []);
  const m = member.data;
  if (!m || (!m.enabled && m.level === null)) return null;
  return (
    <div className="me-sub me-member" data-testid="member-line">
      <span className="me-level">{m.levelName ?? m.level ?? t('me.memberNone')}</span>
      {m.enabled && (
        <>
          {' · '}
          {t('me.growth', { count: m.growth })}
          {m.next && <> · {t('me.nextLevel', { name: m.next.name, count: m.next.growthNeeded })}</>}
        </>
      )}
    </div>
  );
}
