import { Alert, Anchor, List } from '@mantine/core';
import { IconAlarm } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Agreement } from '@modules/partners/schemas.ts';
import { api } from '../../core/api.ts';
import { DateOnly } from '../../components/DateTime.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { agreementsKey } from './AgreementsTab.tsx';

/** How far ahead administrators and partners are reminded of the end of agreements. */
export const reminderDays = 30;

/**
 * The in-app reminder: agreements ending within the next weeks (a partner
 * analyst's own, every one for administrators). Nothing when there are none.
 */
export function ExpiryNotice({ showPartner = false, link }: { showPartner?: boolean; link?: string }) {
  const t = useT();
  const expiring = useQuery({
    queryKey: [...agreementsKey, 'expiring', reminderDays],
    queryFn: ({ signal }) => api.get<{ days: number; items: Agreement[] }>('/api/partner-agreements/expiring', { query: { days: reminderDays }, signal }),
  });
  const items = expiring.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Alert color="orange" variant="light" icon={<IconAlarm aria-hidden />} title={t('partners.our.expiringTitle', { count: items.length })} mb="lg" role="status">
      <List size="sm" spacing={2}>
        {items.map((a) => (
          <List.Item key={a.id}>
            {showPartner ? (
              <>
                <bdi>{a.organisationName}</bdi>:{' '}
              </>
            ) : null}
            <bdi>{a.title}</bdi> (<Ltr mono>{a.reference}</Ltr>) — {a.endsOn ? <DateOnly value={a.endsOn} /> : null} · {t('partners.expiring.daysLeft', { days: a.daysLeft ?? 0 })}
          </List.Item>
        ))}
      </List>
      {link ? (
        <Anchor component={Link} to={link} size="sm" mt="xs" display="inline-block">
          {t('partners.expiring.open')}
        </Anchor>
      ) : null}
    </Alert>
  );
}
