import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';

// Placeholder: the security administration page is built next (see web/README.md for the patterns).
export default function SecurityPage() {
  const t = useT();
  return <PageHeader title={t('security.title')} description={t('security.subtitle')} />;
}
