import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';

// Placeholder: the audit administration page is built next (see web/README.md for the patterns).
export default function AuditPage() {
  const t = useT();
  return <PageHeader title={t('audit.title')} description={t('audit.subtitle')} />;
}
