import { Code, List, Stack, Text, Title } from '@mantine/core';
import { Fragment, useMemo } from 'react';
import { Ltr } from '../../components/Ltr.tsx';
import { parseRichText, type Inline } from './rich-text.ts';

function Inlines({ parts }: { parts: Inline[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.kind === 'code' ? (
          <Code key={i} dir="ltr" style={{ unicodeBidi: 'isolate' }}>
            {p.text}
          </Code>
        ) : p.kind === 'variable' ? (
          // A per-team value, seen as such by trainers (teams see their own values instead).
          <Code key={i} dir="ltr" color="violet.0" c="violet.9" style={{ unicodeBidi: 'isolate' }}>
            {`{{ ${p.text} }}`}
          </Code>
        ) : p.kind === 'bold' ? (
          <strong key={i}>{p.text}</strong>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </>
  );
}

/** Author text (briefings, guides, hints, injects) as paragraphs, lists and code; never HTML. */
export function RichText({ text, size = 'sm' }: { text: string; size?: 'xs' | 'sm' | 'md' }) {
  const blocks = useMemo(() => parseRichText(text), [text]);
  return (
    <Stack gap="sm">
      {blocks.map((b, i) => {
        switch (b.kind) {
          case 'heading':
            return (
              <Title key={i} order={b.level === 1 ? 3 : 4} fz={b.level === 1 ? 'md' : 'sm'}>
                <Inlines parts={b.lines[0] ?? []} />
              </Title>
            );
          case 'list':
            return (
              <List key={i} type={b.ordered ? 'ordered' : 'unordered'} start={b.start} size={size} spacing={4} withPadding>
                {b.items.map((item, j) => (
                  <List.Item key={j}>
                    <Inlines parts={item} />
                  </List.Item>
                ))}
              </List>
            );
          case 'code':
            return (
              <Ltr key={i} block mono fz="xs" p="sm" bg="var(--mantine-color-gray-1)" style={{ borderRadius: 'var(--mantine-radius-sm)', whiteSpace: 'pre-wrap', overflowX: 'auto' }}>
                {b.text}
              </Ltr>
            );
          default:
            return (
              <Text key={i} size={size} lh={1.65}>
                {b.lines.map((line, j) => (
                  <Fragment key={j}>
                    {j > 0 ? <br /> : null}
                    <Inlines parts={line} />
                  </Fragment>
                ))}
              </Text>
            );
        }
      })}
    </Stack>
  );
}
