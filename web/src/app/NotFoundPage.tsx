import { Button, Container, Group } from '@mantine/core';
import { IconMapPinOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useDocumentTitle } from '@mantine/hooks';
import { EmptyState } from '../components/EmptyState.tsx';
import { useT } from '../i18n/useT.ts';

export default function NotFoundPage() {
  const t = useT();
  useDocumentTitle(`${t('common.notFound.title')} · Cybercap`);
  return (
    <Container size="sm" py={60}>
      <h1 className="visually-hidden" tabIndex={-1} data-page-title>
        {t('common.notFound.title')}
      </h1>
      <EmptyState
        icon={<IconMapPinOff aria-hidden />}
        title={t('common.notFound.title')}
        description={t('common.notFound.description')}
        action={
          <Group>
            <Button component={Link} to="/">
              {t('common.action.backHome')}
            </Button>
          </Group>
        }
      />
    </Container>
  );
}
