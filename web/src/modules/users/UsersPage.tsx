import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';

// Placeholder: the users administration page is built next (see web/README.md for the patterns).
export default function UsersPage() {
  const t = useT();
  return <PageHeader title={t('users.title')} description={t('users.subtitle')} />;
}
