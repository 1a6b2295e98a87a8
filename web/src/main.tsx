import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import 'mantine-datatable/styles.css';
import './app/global.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { applyLocale } from './i18n/I18nProvider.tsx';
import { loadMessages } from './i18n/catalogues.ts';
import { defaultLocale, initialLocale } from './i18n/locales.ts';

async function start() {
  let locale = initialLocale();
  let messages;
  try {
    messages = await loadMessages(locale);
  } catch {
    locale = defaultLocale;
    messages = await loadMessages(locale);
  }
  applyLocale(locale);
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing from index.html');
  createRoot(root).render(
    <StrictMode>
      <App locale={locale} messages={messages} />
    </StrictMode>,
  );
}

void start();
