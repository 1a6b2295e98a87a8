import { Box, type BoxProps } from '@mantine/core';
import type { ReactNode } from 'react';

type Props = BoxProps & {
  children: ReactNode;
  /** Monospace, for hashes, tokens, codes and log lines. */
  mono?: boolean;
  /** A block (div) rather than inline text. */
  block?: boolean;
  title?: string;
};

/**
 * Text that must stay left-to-right inside a right-to-left page: e-mail
 * addresses, IPs, hashes, tokens, URLs, code and log lines. Isolated so the
 * surrounding Arabic text keeps its order.
 */
export function Ltr({ children, mono, block, style, ...rest }: Props) {
  return (
    <Box
      component={block ? 'div' : 'bdi'}
      dir="ltr"
      ff={mono ? 'monospace' : undefined}
      style={{ unicodeBidi: 'isolate', ...(block ? { textAlign: 'left' } : {}), ...(style as object) }}
      {...rest}
    >
      {children}
    </Box>
  );
}
