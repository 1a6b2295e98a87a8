import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState, type ReactNode } from 'react';
import { Box } from '@mantine/core';

export type VirtualLinesHandle = { scrollToLine: (index: number) => void };

type Props = {
  count: number;
  /** Every line has this height (px): no wrapping. */
  lineHeight: number;
  height: number | string;
  renderLine: (index: number) => ReactNode;
  /** Accessible name of the scrolling region. */
  label: string;
  header?: ReactNode;
  overscan?: number;
};

/**
 * Renders only the lines in view (plus a margin), so that a file of a hundred
 * thousand lines scrolls as smoothly as one of ten. Always left to right.
 */
export const VirtualLines = forwardRef<VirtualLinesHandle, Props>(function VirtualLines({ count, lineHeight, height, renderLine, label, header, overscan = 20 }, ref) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    setViewport(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  const scrollToLine = useCallback(
    (index: number) => {
      const el = box.current;
      if (!el) return;
      const top = index * lineHeight;
      if (top < el.scrollTop || top + lineHeight > el.scrollTop + el.clientHeight - (header ? lineHeight : 0)) {
        el.scrollTop = Math.max(0, top - el.clientHeight / 2);
      }
    },
    [lineHeight, header],
  );
  useImperativeHandle(ref, () => ({ scrollToLine }), [scrollToLine]);

  const first = Math.max(0, Math.floor(scrollTop / lineHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / lineHeight) + overscan);
  const lines: ReactNode[] = [];
  for (let i = first; i < last; i++) lines.push(renderLine(i));

  return (
    <Box
      ref={box}
      dir="ltr"
      role="region"
      aria-label={label}
      tabIndex={0}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      style={{ height, overflow: 'auto', position: 'relative', textAlign: 'left', fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13, lineHeight: `${lineHeight}px` }}
    >
      {header}
      <div style={{ height: count * lineHeight, position: 'relative', minWidth: 'max-content' }}>
        <div style={{ position: 'absolute', top: first * lineHeight, left: 0, right: 0 }}>{lines}</div>
      </div>
    </Box>
  );
});
