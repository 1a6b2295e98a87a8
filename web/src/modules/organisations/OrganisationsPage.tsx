import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';

// Placeholder: the organisations administration page is built next (see web/README.md for the patterns).
export default function OrganisationsPage() {
  const t = useT();
  return <PageHeader title={t('organisations.title')} description={t('organisations.subtitle')} />;
}
